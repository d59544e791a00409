package dev.grove.actions.registry.artifact;

import static dev.grove.actions.spi.ActionCodes.AR_REPOSITORY_NOT_DOCKER;
import static dev.grove.actions.spi.ActionCodes.AR_REPOSITORY_NOT_FOUND;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.devtools.artifactregistry.v1.ArtifactRegistryClient;
import com.google.devtools.artifactregistry.v1.ArtifactRegistrySettings;
import com.google.devtools.artifactregistry.v1.CreateRepositoryRequest;
import com.google.devtools.artifactregistry.v1.DeleteVersionRequest;
import com.google.devtools.artifactregistry.v1.ListTagsRequest;
import com.google.devtools.artifactregistry.v1.ListVersionsRequest;
import com.google.devtools.artifactregistry.v1.Repository;
import com.google.devtools.artifactregistry.v1.Tag;
import com.google.devtools.artifactregistry.v1.Version;
import com.google.devtools.artifactregistry.v1.VersionView;
import com.google.protobuf.Timestamp;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What Grove asks of the Artifact Registry API: that a Docker repository exists, whether a tag
 * exists, and removing old Grove versions of an image.
 *
 * <p>Every method blocks on the network; callers run them on a worker pool.
 */
public final class ArtifactRegistryAdmin implements AutoCloseable {

  private static final Pattern GROVE_VERSION = Pattern.compile("v-[0-9a-f]{10}");

  private static final String READER = "roles/artifactregistry.reader";
  private static final String WRITER = "roles/artifactregistry.writer";
  // Creating repositories is only in the admin role; deleting versions needs repoAdmin.
  private static final String ADMIN = "roles/artifactregistry.admin";
  private static final String REPO_ADMIN = "roles/artifactregistry.repoAdmin";

  private final ArtifactRegistryClient client;

  /** Takes ownership of {@code client}: {@link #close()} closes it. */
  public ArtifactRegistryAdmin(ArtifactRegistryClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** A client of the Artifact Registry API at its production endpoint as {@code credentials}. */
  public static ArtifactRegistryAdmin create(GoogleCredentials credentials) throws IOException {
    return create(
        ArtifactRegistrySettings.newBuilder()
            .setCredentialsProvider(FixedCredentialsProvider.create(credentials))
            .build());
  }

  public static ArtifactRegistryAdmin create(ArtifactRegistrySettings settings) throws IOException {
    return new ArtifactRegistryAdmin(ArtifactRegistryClient.create(settings));
  }

  /** Whether {@code tag} has the form of a Grove version ({@code v-} and 10 hex digits). */
  public static boolean isGroveVersion(String tag) {
    return GROVE_VERSION.matcher(tag).matches();
  }

  /**
   * Checks that the repository of {@code image} exists and holds Docker images; creates it when it
   * is missing and {@code create} is true.
   */
  public void ensureRepository(ArtifactRegistryImage image, boolean create) throws ActionException {
    String name = image.repositoryName();
    Repository repository;
    try {
      repository = client.getRepository(name);
    } catch (ApiException e) {
      if (code(e) != StatusCode.Code.NOT_FOUND) {
        throw failure(e, "look up repository " + name, WRITER);
      }
      if (!create) {
        throw new ActionException(
            AR_REPOSITORY_NOT_FOUND,
            "The Artifact Registry repository " + name + " does not exist",
            "Create it with `gcloud artifacts repositories create "
                + image.repository()
                + " --repository-format=docker --location="
                + image.location()
                + " --project="
                + image.project()
                + "`, or set `deploymentRegistry.createRepository: true`");
      }
      repository = createRepository(image);
    }
    if (repository.getFormat() != Repository.Format.DOCKER) {
      throw new ActionException(
          AR_REPOSITORY_NOT_DOCKER,
          "The Artifact Registry repository "
              + name
              + " holds "
              + repository.getFormat()
              + " packages, not Docker images",
          "Use a repository created with --repository-format=docker for " + image.withoutTag());
    }
  }

  private Repository createRepository(ArtifactRegistryImage image) throws ActionException {
    CreateRepositoryRequest request =
        CreateRepositoryRequest.newBuilder()
            .setParent(image.locationName())
            .setRepositoryId(image.repository())
            .setRepository(Repository.newBuilder().setFormat(Repository.Format.DOCKER))
            .build();
    try {
      // The operation callable waits for the long-running operation and unwraps its errors.
      return client.createRepositoryOperationCallable().call(request);
    } catch (ApiException e) {
      if (code(e) == StatusCode.Code.ALREADY_EXISTS) {
        // Created by someone else since the lookup.
        return lookUp(image.repositoryName());
      }
      throw failure(e, "create repository " + image.repositoryName(), ADMIN);
    }
  }

  private Repository lookUp(String name) throws ActionException {
    try {
      return client.getRepository(name);
    } catch (ApiException e) {
      throw failure(e, "look up repository " + name, WRITER);
    }
  }

  /** Whether the tag of {@code image} exists. */
  public boolean tagExists(ArtifactRegistryImage image) throws ActionException {
    String name = image.tagName();
    try {
      client.getTag(name);
      return true;
    } catch (ApiException e) {
      if (code(e) == StatusCode.Code.NOT_FOUND) {
        return false;
      }
      throw failure(e, "look up tag " + image, READER);
    }
  }

  /**
   * The tags of the image's package that are Grove versions, newest first (by the update time of
   * the version they point to). An image that was never pushed has none.
   */
  public List<String> versionTags(ArtifactRegistryImage image) throws ActionException {
    return groveTags(image, READER).stream().map(GroveTag::tag).toList();
  }

  /**
   * Deletes all but the newest {@code keep} Grove version tags of the image, and the versions
   * (manifests) only they pointed to; returns the deleted tags, oldest last. A version that other
   * tags still point to (a kept version, or a tag that is not a Grove version such as {@code
   * latest}) is kept and only the old tag is deleted. With {@code dryRun}, deletes nothing and
   * returns what it would delete.
   */
  public List<String> cleanup(ArtifactRegistryImage image, int keep, boolean dryRun)
      throws ActionException {
    if (keep < 0) {
      throw new ActionException(
          ActionCodes.INVALID_SPEC,
          "Cannot keep " + keep + " versions of " + image.withoutTag(),
          "Keep 0 or more versions");
    }
    List<String> newest = groveTags(image, REPO_ADMIN).stream().map(GroveTag::tag).toList();
    if (newest.size() <= keep) {
      return List.of();
    }
    List<String> old = List.copyOf(newest.subList(keep, newest.size()));
    if (!dryRun) {
      deleteTags(image, old);
    }
    return old;
  }

  /**
   * Deletes these tags of the image, and the versions (manifests) only they point to. A version
   * that another tag still points to (a kept version, or a tag that is not a Grove version such as
   * {@code latest}) is kept and only the tag is deleted. Tags already gone are not an error.
   */
  public void deleteTags(ArtifactRegistryImage image, List<String> tags) throws ActionException {
    if (tags.isEmpty()) {
      return;
    }
    List<GroveTag> grove = groveTags(image, REPO_ADMIN);
    Map<String, List<String>> tagsByVersion = new HashMap<>();
    for (Tag tag : listTags(image, REPO_ADMIN)) {
      tagsByVersion.computeIfAbsent(tag.getVersion(), v -> new ArrayList<>()).add(tag.getName());
    }
    Set<String> doomed = Set.copyOf(tags);
    Set<String> doomedNames = new HashSet<>();
    for (GroveTag tag : grove) {
      if (doomed.contains(tag.tag())) {
        doomedNames.add(tag.name());
      }
    }
    Set<String> deletedVersions = new HashSet<>();
    for (GroveTag tag : grove) {
      if (!doomed.contains(tag.tag())) {
        continue;
      }
      boolean onlyDoomedTags =
          doomedNames.containsAll(tagsByVersion.getOrDefault(tag.version(), List.of()));
      try {
        if (onlyDoomedTags) {
          if (deletedVersions.add(tag.version())) {
            // force: the version's tags go with it; they are all being deleted.
            client
                .deleteVersionOperationCallable()
                .call(
                    DeleteVersionRequest.newBuilder()
                        .setName(tag.version())
                        .setForce(true)
                        .build());
          }
        } else {
          client.deleteTag(tag.name());
        }
      } catch (ApiException e) {
        if (code(e) != StatusCode.Code.NOT_FOUND) {
          throw failure(e, "delete " + image.withTag(tag.tag()), REPO_ADMIN);
        }
      }
    }
  }

  @Override
  public void close() {
    client.close();
  }

  /** A Grove version tag: its short form, resource name and the version it points to. */
  private record GroveTag(String tag, String name, String version, Timestamp updated) {}

  private List<GroveTag> groveTags(ArtifactRegistryImage image, String role)
      throws ActionException {
    List<Tag> tags = listTags(image, role);
    if (tags.isEmpty()) {
      return List.of();
    }
    Map<String, Timestamp> updated = new LinkedHashMap<>();
    try {
      ListVersionsRequest request =
          ListVersionsRequest.newBuilder()
              .setParent(image.packageName())
              .setView(VersionView.BASIC)
              .build();
      for (Version version : client.listVersions(request).iterateAll()) {
        updated.put(
            version.getName(),
            version.hasUpdateTime() ? version.getUpdateTime() : version.getCreateTime());
      }
    } catch (ApiException e) {
      if (code(e) != StatusCode.Code.NOT_FOUND) {
        throw failure(e, "list the versions of " + image.withoutTag(), role);
      }
    }
    String prefix = image.packageName() + "/tags/";
    List<GroveTag> grove = new ArrayList<>();
    for (Tag tag : tags) {
      String shortTag =
          tag.getName().startsWith(prefix)
              ? tag.getName().substring(prefix.length())
              : tag.getName().substring(tag.getName().lastIndexOf('/') + 1);
      if (isGroveVersion(shortTag)) {
        grove.add(
            new GroveTag(
                shortTag,
                tag.getName(),
                tag.getVersion(),
                updated.getOrDefault(tag.getVersion(), Timestamp.getDefaultInstance())));
      }
    }
    grove.sort(
        Comparator.comparing(
                GroveTag::updated,
                Comparator.comparingLong(Timestamp::getSeconds)
                    .thenComparingInt(Timestamp::getNanos))
            .thenComparing(GroveTag::tag)
            .reversed());
    return grove;
  }

  private List<Tag> listTags(ArtifactRegistryImage image, String role) throws ActionException {
    List<Tag> tags = new ArrayList<>();
    try {
      for (Tag tag :
          client
              .listTags(ListTagsRequest.newBuilder().setParent(image.packageName()).build())
              .iterateAll()) {
        tags.add(tag);
      }
    } catch (ApiException e) {
      if (code(e) != StatusCode.Code.NOT_FOUND) {
        throw failure(e, "list the tags of " + image.withoutTag(), role);
      }
    }
    return tags;
  }

  private static StatusCode.Code code(ApiException e) {
    return e.getStatusCode().getCode();
  }

  /**
   * Maps an API failure to a registry error. The server's message is left out: it is not needed to
   * act, and nothing that came with the request (credentials) can then reach the user.
   */
  private static ActionException failure(ApiException e, String what, String role) {
    StatusCode.Code code = code(e);
    String message = "Artifact Registry could not " + what + ": " + code;
    return switch (code) {
      case PERMISSION_DENIED ->
          new ActionException(
              ActionCodes.REGISTRY_FORBIDDEN,
              message,
              "Grant the account Grove uses the IAM role "
                  + role
                  + " on the repository or project, or run `gcloud auth application-default login`"
                  + " as an account that has it");
      case UNAUTHENTICATED ->
          new ActionException(
              ActionCodes.REGISTRY_UNAUTHORIZED,
              message,
              "Run `gcloud auth application-default login`, or point GOOGLE_APPLICATION_CREDENTIALS"
                  + " at a service account key");
      case UNAVAILABLE, DEADLINE_EXCEEDED ->
          new ActionException(
              ActionCodes.REGISTRY_UNREACHABLE,
              message,
              "Check the network connection to artifactregistry.googleapis.com and try again");
      default ->
          new ActionException(
              ActionCodes.REGISTRY_ERROR,
              message,
              "Try again; if it persists, check the repository in the Cloud Console");
    };
  }
}
