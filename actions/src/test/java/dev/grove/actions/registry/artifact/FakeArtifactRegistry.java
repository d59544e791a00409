package dev.grove.actions.registry.artifact;

import com.google.devtools.artifactregistry.v1.ArtifactRegistryGrpc;
import com.google.devtools.artifactregistry.v1.CreateRepositoryRequest;
import com.google.devtools.artifactregistry.v1.DeleteTagRequest;
import com.google.devtools.artifactregistry.v1.DeleteVersionRequest;
import com.google.devtools.artifactregistry.v1.GetRepositoryRequest;
import com.google.devtools.artifactregistry.v1.GetTagRequest;
import com.google.devtools.artifactregistry.v1.ListTagsRequest;
import com.google.devtools.artifactregistry.v1.ListTagsResponse;
import com.google.devtools.artifactregistry.v1.ListVersionsRequest;
import com.google.devtools.artifactregistry.v1.ListVersionsResponse;
import com.google.devtools.artifactregistry.v1.Repository;
import com.google.devtools.artifactregistry.v1.Tag;
import com.google.devtools.artifactregistry.v1.Version;
import com.google.longrunning.Operation;
import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The parts of the Artifact Registry v1 gRPC service Grove uses, in memory. Long-running operations
 * are answered already done. Listing returns pages of {@code page_size} (default 2, so clients must
 * follow page tokens). {@link #failWith} makes every call answer with a status.
 */
final class FakeArtifactRegistry extends ArtifactRegistryGrpc.ArtifactRegistryImplBase {

  final Map<String, Repository> repositories = new ConcurrentHashMap<>();
  final Map<String, Version> versions = new ConcurrentHashMap<>();
  final Map<String, Tag> tags = new ConcurrentHashMap<>();
  final List<String> calls = new CopyOnWriteArrayList<>();
  private final AtomicReference<Status> failure = new AtomicReference<>();
  private final AtomicInteger operations = new AtomicInteger();

  void failWith(Status status) {
    failure.set(status);
  }

  void addRepository(String name, Repository.Format format) {
    repositories.put(name, Repository.newBuilder().setName(name).setFormat(format).build());
  }

  /** Adds a version {@code digest} of {@code packageName} updated at {@code updated}, tagged. */
  void addVersion(String packageName, String digest, Instant updated, String... tagNames) {
    String version = packageName + "/versions/" + digest;
    Timestamp time =
        Timestamp.newBuilder()
            .setSeconds(updated.getEpochSecond())
            .setNanos(updated.getNano())
            .build();
    versions.put(
        version,
        Version.newBuilder().setName(version).setCreateTime(time).setUpdateTime(time).build());
    for (String tag : tagNames) {
      String name = packageName + "/tags/" + tag;
      tags.put(name, Tag.newBuilder().setName(name).setVersion(version).build());
    }
  }

  @Override
  public void getRepository(GetRepositoryRequest request, StreamObserver<Repository> out) {
    answer("getRepository " + request.getName(), out, () -> found(repositories, request.getName()));
  }

  @Override
  public void createRepository(CreateRepositoryRequest request, StreamObserver<Operation> out) {
    answer(
        "createRepository " + request.getParent() + " " + request.getRepositoryId(),
        out,
        () -> {
          String name = request.getParent() + "/repositories/" + request.getRepositoryId();
          Repository created = request.getRepository().toBuilder().setName(name).build();
          if (repositories.putIfAbsent(name, created) != null) {
            throw Status.ALREADY_EXISTS.withDescription(name).asRuntimeException();
          }
          return done(created);
        });
  }

  @Override
  public void getTag(GetTagRequest request, StreamObserver<Tag> out) {
    answer("getTag " + request.getName(), out, () -> found(tags, request.getName()));
  }

  @Override
  public void listTags(ListTagsRequest request, StreamObserver<ListTagsResponse> out) {
    answer(
        "listTags " + request.getParent(),
        out,
        () -> {
          List<Tag> all = children(tags, request.getParent() + "/tags/");
          Page page = Page.of(all.size(), request.getPageSize(), request.getPageToken());
          return ListTagsResponse.newBuilder()
              .addAllTags(all.subList(page.from(), page.to()))
              .setNextPageToken(page.next())
              .build();
        });
  }

  @Override
  public void listVersions(ListVersionsRequest request, StreamObserver<ListVersionsResponse> out) {
    answer(
        "listVersions " + request.getParent(),
        out,
        () -> {
          List<Version> all = children(versions, request.getParent() + "/versions/");
          Page page = Page.of(all.size(), request.getPageSize(), request.getPageToken());
          return ListVersionsResponse.newBuilder()
              .addAllVersions(all.subList(page.from(), page.to()))
              .setNextPageToken(page.next())
              .build();
        });
  }

  @Override
  public void deleteVersion(DeleteVersionRequest request, StreamObserver<Operation> out) {
    answer(
        "deleteVersion " + request.getName(),
        out,
        () -> {
          found(versions, request.getName());
          List<String> tagged =
              tags.values().stream()
                  .filter(t -> t.getVersion().equals(request.getName()))
                  .map(Tag::getName)
                  .toList();
          if (!tagged.isEmpty() && !request.getForce()) {
            throw Status.FAILED_PRECONDITION
                .withDescription("version is tagged: " + tagged)
                .asRuntimeException();
          }
          tagged.forEach(tags::remove);
          versions.remove(request.getName());
          return done(Empty.getDefaultInstance());
        });
  }

  @Override
  public void deleteTag(DeleteTagRequest request, StreamObserver<Empty> out) {
    answer(
        "deleteTag " + request.getName(),
        out,
        () -> {
          found(tags, request.getName());
          tags.remove(request.getName());
          return Empty.getDefaultInstance();
        });
  }

  /** The short tags of {@code packageName}, sorted. */
  List<String> tagsOf(String packageName) {
    String prefix = packageName + "/tags/";
    return tags.keySet().stream()
        .filter(n -> n.startsWith(prefix))
        .map(n -> n.substring(prefix.length()))
        .sorted()
        .toList();
  }

  /** The digests of the versions of {@code packageName}, sorted. */
  List<String> versionsOf(String packageName) {
    String prefix = packageName + "/versions/";
    return versions.keySet().stream()
        .filter(n -> n.startsWith(prefix))
        .map(n -> n.substring(prefix.length()))
        .sorted()
        .toList();
  }

  private <T> void answer(String call, StreamObserver<T> out, Supplier<T> body) {
    calls.add(call);
    Status status = failure.get();
    if (status != null) {
      out.onError(status.asRuntimeException());
      return;
    }
    T value;
    try {
      value = body.get();
    } catch (RuntimeException e) {
      out.onError(Status.fromThrowable(e).asRuntimeException());
      return;
    }
    out.onNext(value);
    out.onCompleted();
  }

  private Operation done(Message response) {
    return Operation.newBuilder()
        .setName("operations/" + operations.incrementAndGet())
        .setDone(true)
        .setResponse(Any.pack(response))
        .build();
  }

  private static <T> T found(Map<String, T> map, String name) {
    T value = map.get(name);
    if (value == null) {
      throw Status.NOT_FOUND.withDescription(name + " not found").asRuntimeException();
    }
    return value;
  }

  private static <T> List<T> children(Map<String, T> map, String prefix) {
    return map.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix) && e.getKey().indexOf('/', prefix.length()) < 0)
        .sorted(Map.Entry.comparingByKey())
        .map(Map.Entry::getValue)
        .toList();
  }

  private record Page(int from, int to, String next) {
    static Page of(int size, int pageSize, String token) {
      int from = token.isEmpty() ? 0 : Integer.parseInt(token);
      int to = Math.min(size, from + (pageSize > 0 ? pageSize : 2));
      return new Page(from, to, to < size ? Integer.toString(to) : "");
    }
  }
}
