package dev.grove.actions.build.container;

import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import dev.grove.actions.provider.ImageRegistry;
import dev.grove.actions.registry.RegistryAuth;
import dev.grove.actions.registry.RegistryCredentials;
import dev.grove.actions.registry.RegistryStatus;
import dev.grove.actions.registry.artifact.ArtifactRegistryImage;
import dev.grove.actions.registry.artifact.ArtifactRepositories;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionContext;
import dev.grove.actions.spi.ActionException;
import dev.grove.actions.spi.ActionHandler;
import dev.grove.actions.spi.KubeContext;
import dev.grove.actions.spi.LogSink;
import dev.grove.api.event.EventPayload;
import dev.grove.api.project.UserFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code Build/container} with the jib builder: ready when the registry already has the version tag
 * (a manifest HEAD); otherwise the Dockerfile is translated to jib layers and the image pushed,
 * tagged with the action version. Without a deployment registry the image is written to {@code
 * .grove/images/<name>-<version>.tar} under the project.
 */
final class ContainerBuildHandler implements ActionHandler, ActionHandler.Publisher {
  private static final java.util.Set<String> CLUSTER_MODES =
      java.util.Set.of("kaniko", "cluster-buildkit", "cluster-docker");

  private final RegistryCredentials credentials;
  private final RegistryStatus registryStatus;
  private final DockerBuilder docker;
  private final ArtifactRepositories repositories;
  private final java.util.concurrent.atomic.AtomicBoolean saidNoEngine =
      new java.util.concurrent.atomic.AtomicBoolean();

  ContainerBuildHandler(
      RegistryCredentials credentials,
      RegistryStatus registryStatus,
      DockerBuilder docker,
      ArtifactRepositories repositories) {
    this.credentials = credentials;
    this.registryStatus = registryStatus;
    this.docker = docker;
    this.repositories = repositories;
  }

  /** Before a push to Artifact Registry: the repository must exist (or be created on request). */
  private void ensureRepository(ActionContext context, String image) throws ActionException {
    Optional<ImageRegistry> registry = registry(context);
    if (registry.isEmpty() || !ArtifactRegistryImage.isArtifactRegistryHost(hostOf(image))) {
      return;
    }
    // createRepository is the deployment registry's setting; elsewhere (a publishId) only check
    boolean create =
        hostOf(image).equals(registry.get().host()) && registry.get().createRepository();
    ArtifactRegistryImage parsed;
    try {
      parsed = ArtifactRegistryImage.parse(image);
    } catch (IllegalArgumentException e) {
      throw new ActionException(
          ActionCodes.INVALID_SPEC,
          context.ref()
              + ": `"
              + image
              + "` is not an Artifact Registry image name: "
              + e.getMessage(),
          "Set deploymentRegistry.namespace to PROJECT/REPOSITORY, e.g. my-project/my-repo.");
    }
    repositories.ensure(parsed, create, context.env());
  }

  /**
   * Which builder runs: {@code jib} always jib; {@code local-docker} (Garden's default) the docker
   * CLI when an engine answers, else jib, said once; in-cluster modes are not Grove's.
   */
  private boolean useDocker(ActionContext context) throws ActionException {
    String mode = KubeContext.of(context).buildMode();
    if (CLUSTER_MODES.contains(mode)) {
      throw new ActionException(
          ActionCodes.NOT_SUPPORTED,
          context.ref()
              + ": buildMode `"
              + mode
              + "` builds in the cluster, which Grove does not do.",
          "Set the kubernetes provider's `buildMode: jib` (no Docker engine needed) or"
              + " `local-docker`.");
    }
    if (!mode.equals("local-docker")) {
      return false;
    }
    if (docker.engineAnswers(context.env(), context.sourceDir())) {
      return true;
    }
    if (saidNoEngine.compareAndSet(false, true)) {
      context
          .log()
          .line(
              LogSink.STDOUT,
              "No Docker engine answers here (`docker version`): building with jib instead"
                  + " (RUN and multi-stage Dockerfiles need an engine).");
    }
    return false;
  }

  @Override
  public Status status(ActionContext context) throws ActionException {
    Optional<ImageRegistry> registry = registry(context);
    if (registry.isEmpty()) {
      return Files.isRegularFile(localArchive(context))
          ? new Status(true, "ready", context.outputs())
          : Status.notReady("missing");
    }
    String host = registry.get().host();
    Optional<RegistryAuth> auth = credentials.find(host, context.env());
    boolean exists =
        registryStatus.tagExists(
            host, repository(context, host), context.version(), auth, registry.get().insecure());
    return exists ? new Status(true, "ready", context.outputs()) : Status.notReady("missing");
  }

  @Override
  public Outputs process(ActionContext context) throws ActionException {
    String image = String.valueOf(context.outputs().get("deploymentImageId"));
    ensureRepository(context, image);
    if (useDocker(context)) {
      Map<String, Object> spec = context.spec();
      docker.build(
          context,
          DockerBuilder.buildCommand(
              dockerfileName(context),
              context.sourceDir(),
              image,
              buildArgs(context),
              spec.get("targetStage") instanceof String stage ? stage : null,
              strings(spec.get("extraFlags")),
              strings(spec.get("platforms"))),
          image,
          registry(context).isPresent());
      if (registry(context).isPresent()) {
        recordPush(context);
      }
      return new Outputs(context.outputs());
    }
    JibContainerBuilder plan = jibPlan(context);
    Optional<ImageRegistry> registry = registry(context);
    JibBuilder.Target target;
    if (registry.isEmpty()) {
      if (strings(context.spec().get("platforms")).size() > 1) {
        throw new ActionException(
            ActionCodes.INVALID_SPEC,
            context.ref()
                + ": spec.platforms "
                + strings(context.spec().get("platforms"))
                + " needs a registry: a multi-platform image is an index, which Grove pushes but"
                + " does not write to a local archive.",
            "Set the kubernetes provider's deploymentRegistry, or build one platform.");
      }
      Path archive = localArchive(context);
      try {
        Files.createDirectories(archive.getParent());
      } catch (IOException e) {
        throw new ActionException(
            ActionCodes.BUILD_FAILED,
            "cannot create " + archive.getParent() + ": " + e.getMessage(),
            "Check that the project folder is writable.");
      }
      target = new JibBuilder.Tar(archive, image);
    } else {
      target = registryTarget(context, image, registry.get().insecure());
    }
    BuildResult result = jibBuild(context, plan, target);
    if (target instanceof JibBuilder.Registry) {
      recordPush(context);
    }
    Map<String, Object> outputs = new LinkedHashMap<>(context.outputs());
    outputs.put("deploymentImageDigest", result.digest());
    outputs.put("blobsUploaded", result.blobsUploaded());
    outputs.put("blobsReused", result.blobsReused());
    return new Outputs(outputs);
  }

  /**
   * {@code grove publish}: the image again under {@code spec.publishId} (else the deployment image
   * name), tagged with the publishId's own tag, else the version; {@code tag} overrides both. jib
   * builds are reproducible, so the published image is the same image (same digest); blobs the
   * target repository already has are not uploaded again.
   */
  @Override
  public Outputs publish(ActionContext context, Optional<String> tag) throws ActionException {
    String image = publishImage(context, tag);
    ensureRepository(context, image);
    boolean insecure =
        registry(context).isPresent()
            && hostOf(image).equals(registry(context).get().host())
            && registry(context).get().insecure();
    if (useDocker(context)) {
      String built = String.valueOf(context.outputs().get("deploymentImageId"));
      docker.publish(context, built, image, registry(context).isPresent());
    } else {
      jibBuild(context, jibPlan(context), registryTarget(context, image, insecure));
    }
    Map<String, Object> outputs = new LinkedHashMap<>(context.outputs());
    outputs.put("publishedImageId", image);
    outputs.put("published-image-id", image);
    return new Outputs(outputs);
  }

  /** The image {@code publish} pushes: see {@link #publish}. */
  static String publishImage(ActionContext context, Optional<String> tag) throws ActionException {
    Object publishId = context.spec().get("publishId");
    String name =
        publishId instanceof String id && !id.isBlank()
            ? id
            : String.valueOf(context.outputs().get("deploymentImageName"));
    String ownTag = null;
    int slash = name.lastIndexOf('/');
    int colon = name.lastIndexOf(':');
    if (colon > slash) {
      ownTag = name.substring(colon + 1);
      name = name.substring(0, colon);
    }
    String image = name + ":" + tag.orElse(ownTag != null ? ownTag : context.version());
    try {
      com.google.cloud.tools.jib.api.ImageReference.parse(image);
    } catch (InvalidImageReferenceException e) {
      throw new ActionException(
          ActionCodes.INVALID_SPEC,
          context.ref() + ": `" + image + "` (from spec.publishId or --tag) is not an image name.",
          "Write publishId as [host/]repository[:tag] in lower case, e.g."
              + " europe-docker.pkg.dev/my-project/releases/api, and tags of letters, digits,"
              + " `_`, `.` and `-`.");
    }
    return image;
  }

  private static String hostOf(String image) {
    try {
      return com.google.cloud.tools.jib.api.ImageReference.parse(image).getRegistry();
    } catch (InvalidImageReferenceException e) {
      return "";
    }
  }

  private static String dockerfileName(ActionContext context) {
    return context.spec().get("dockerfile") instanceof String name ? name : "Dockerfile";
  }

  private static Map<String, String> buildArgs(ActionContext context) {
    Map<String, String> buildArgs = new LinkedHashMap<>();
    if (context.spec().get("buildArgs") instanceof Map<?, ?> args) {
      args.forEach((k, v) -> buildArgs.put(k.toString(), v == null ? "" : v.toString()));
    }
    // Garden passes the version as a build argument; Grove does too, under both names.
    buildArgs.putIfAbsent("GARDEN_ACTION_VERSION", context.version());
    buildArgs.putIfAbsent("GROVE_ACTION_VERSION", context.version());
    return buildArgs;
  }

  /** The Dockerfile as jib layers, with the spec's platforms; extraFlags said to be unused. */
  private JibContainerBuilder jibPlan(ActionContext context) throws ActionException {
    String dockerfileName = dockerfileName(context);
    Path dockerfilePath = context.sourceDir().resolve(dockerfileName);
    String text;
    try {
      text = UserFiles.readText(dockerfilePath);
    } catch (UserFiles.UnreadableException e) {
      throw new ActionException(
          ActionCodes.INVALID_SPEC,
          context.ref() + ": cannot read the Dockerfile " + dockerfilePath + ": " + e.getMessage(),
          e.reason() == UserFiles.Reason.MISSING
              ? "Put a Dockerfile in the action's folder, or point `spec.dockerfile` at one."
              : e.suggestion());
    }
    JibContainerBuilder plan =
        JibImagePlan.plan(
            Dockerfile.parse(text, dockerfileName),
            context.sourceDir(),
            buildArgs(context),
            bases(context),
            context.log(),
            buildContext(context));
    List<String> platforms = strings(context.spec().get("platforms"));
    if (!platforms.isEmpty()) {
      plan.setPlatforms(platforms(context, platforms));
    }
    List<String> extraFlags = strings(context.spec().get("extraFlags"));
    if (!extraFlags.isEmpty()) {
      context
          .log()
          .line(
              LogSink.STDERR,
              "spec.extraFlags "
                  + extraFlags
                  + " are docker build flags: the jib builder does not use them"
                  + " (buildMode: local-docker with a Docker engine does).");
    }
    return plan;
  }

  private JibBuilder.Registry registryTarget(ActionContext context, String image, boolean insecure)
      throws ActionException {
    Optional<RegistryAuth> auth = credentials.find(hostOf(image), context.env());
    return new JibBuilder.Registry(
        image,
        auth.map(RegistryAuth::username).orElse(null),
        auth.map(RegistryAuth::password).orElse(null),
        insecure);
  }

  /** Builds with jib, says what happened, and emits {@code imagePushed} for a registry push. */
  private BuildResult jibBuild(
      ActionContext context, JibContainerBuilder plan, JibBuilder.Target target)
      throws ActionException {
    BuildResult result =
        new JibBuilder(null, context.projectRoot().resolve(".grove/jib-cache"))
            .build(plan, target, context.log(), context.cancellation());
    if (target instanceof JibBuilder.Tar tar) {
      context
          .log()
          .line(
              LogSink.STDOUT,
              "wrote " + result.imageReference() + " " + result.digest() + " to " + tar.file());
      return result;
    }
    context
        .log()
        .line(
            LogSink.STDOUT,
            "pushed "
                + result.imageReference()
                + " "
                + result.digest()
                + " ("
                + result.blobsUploaded()
                + " blobs uploaded ("
                + humanBytes(result.bytesUploaded())
                + "), "
                + result.blobsReused()
                + " already there)");
    context
        .events()
        .emit(
            new EventPayload.ImagePushed(
                result.imageReference(),
                result.digest(),
                result.bytesUploaded(),
                // jib's events count blobs: the layers and the image config.
                result.blobsUploaded(),
                result.blobsReused()));
    return result;
  }

  /**
   * The build context is the action's sources (include/exclude, ignore files), as its version
   * counts them: a file that cannot change the version cannot change the image either.
   */
  static java.util.function.Predicate<String> buildContext(ActionContext context) {
    if (context.sources() == null) {
      return path -> true;
    }
    String prefix =
        context.projectRoot().relativize(context.sourceDir()).toString().replace('\\', '/');
    java.util.NavigableSet<String> files = new java.util.TreeSet<>();
    for (String source : context.sources()) {
      if (prefix.isEmpty()) {
        files.add(source);
      } else if (source.startsWith(prefix + "/")) {
        files.add(source.substring(prefix.length() + 1));
      }
    }
    return path -> {
      if (files.contains(path)) {
        return true;
      }
      String folder = path.endsWith("/") ? path : path + "/";
      String next = files.ceiling(folder);
      return next != null && next.startsWith(folder);
    };
  }

  /** For {@code grove cleanup images}: registries do not say when a tag was pushed. */
  private static void recordPush(ActionContext context) {
    new dev.grove.actions.registry.PushLog(context.projectRoot())
        .record(
            String.valueOf(context.outputs().get("deploymentImageName")),
            context.version(),
            java.time.Instant.now());
  }

  static String humanBytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }

  /** {@code os/arch[/variant]}, as docker's {@code --platform} takes them. */
  private static java.util.Set<Platform> platforms(ActionContext context, List<String> names)
      throws ActionException {
    java.util.Set<Platform> platforms = new java.util.LinkedHashSet<>();
    for (String name : names) {
      String[] parts = name.split("/");
      if (parts.length < 2 || parts.length > 3 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new ActionException(
            ActionCodes.INVALID_SPEC,
            context.ref() + ": spec.platforms entry `" + name + "` is not os/arch.",
            "Write platforms as os/arch, e.g. linux/amd64 or linux/arm64.");
      }
      if (parts.length == 3) {
        throw new ActionException(
            ActionCodes.NOT_SUPPORTED,
            context.ref()
                + ": spec.platforms entry `"
                + name
                + "` has a variant, which the jib builder cannot select.",
            "Drop the variant (e.g. linux/arm64), or use buildMode: local-docker with an engine.");
      }
      platforms.add(new Platform(parts[1], parts[0]));
    }
    return platforms;
  }

  private static java.util.List<String> strings(Object value) {
    if (value instanceof java.util.List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return value instanceof String text ? java.util.List.of(text) : java.util.List.of();
  }

  /** Base images come through the same credential chain as pushes. */
  private BaseImages bases(ActionContext context) {
    return reference -> {
      try {
        RegistryImage image = RegistryImage.named(reference);
        String host = com.google.cloud.tools.jib.api.ImageReference.parse(reference).getRegistry();
        Optional<RegistryAuth> auth = credentials.find(host, context.env());
        auth.ifPresent(a -> image.addCredential(a.username(), a.password()));
        return image;
      } catch (InvalidImageReferenceException e) {
        throw new ActionException(
            ActionCodes.INVALID_SPEC,
            "'" + reference + "' is not a valid image reference.",
            "Write FROM as image[:tag|@digest], e.g. alpine:3.20.");
      }
    };
  }

  /** The repository part of the deployment image name: {@code namespace/name}. */
  private static String repository(ActionContext context, String host) {
    String name = String.valueOf(context.outputs().get("deploymentImageName"));
    return name.startsWith(host + "/") ? name.substring(host.length() + 1) : name;
  }

  private static Path localArchive(ActionContext context) {
    return context
        .projectRoot()
        .resolve(".grove/images/" + context.ref().name() + "-" + context.version() + ".tar");
  }

  /** The kubernetes provider's {@code deploymentRegistry}: where images go, if anywhere. */
  private static Optional<ImageRegistry> registry(ActionContext context) {
    return KubeContext.of(context).registry();
  }
}
