package dev.grove.actions.spi;

/**
 * Every stable machine code the actions module reports: the code of an {@link ActionException} (it
 * reaches users as {@code actionStatus.error.code}, and the daemon maps some to HTTP statuses by
 * prefix) and the code of a render warning. The one place for them; e2e's CodeLiteralsTest fails on
 * a code literal anywhere else in the module.
 */
public final class ActionCodes {

  // -- any action

  /** A command exited non-zero. */
  public static final String COMMAND_FAILED = "COMMAND_FAILED";

  /** A command could not be started (not found, not executable). */
  public static final String COMMAND_NOT_STARTED = "COMMAND_NOT_STARTED";

  /** The action's timeout passed. */
  public static final String TIMEOUT = "TIMEOUT";

  /** The run was cancelled. */
  public static final String CANCELLED = "CANCELLED";

  /** The spec has a value the type cannot use. */
  public static final String INVALID_SPEC = "INVALID_SPEC";

  /** Grove does not run this kind of action yet. */
  public static final String NOT_SUPPORTED = "NOT_SUPPORTED";

  // -- helm

  /** Helm reported a failure (a template error, a chart it cannot fetch, a failed release). */
  public static final String HELM_FAILED = "HELM_FAILED";

  /** Helm's worker process could not start or died. */
  public static final String HELM_UNAVAILABLE = "HELM_UNAVAILABLE";

  // -- container builds

  /** An image build failed (jib, {@code docker build}, or its output folder). */
  public static final String BUILD_FAILED = "BUILD_FAILED";

  /** The Dockerfile uses something the daemonless builder cannot do. */
  public static final String DOCKERFILE_UNSUPPORTED = "DOCKERFILE_UNSUPPORTED";

  // -- registries (HTTP 502 when a daemon request fails with one)

  /** A docker config file, credential helper or Google ADC could not give credentials. */
  public static final String REGISTRY_CREDENTIALS = "REGISTRY_CREDENTIALS";

  /** The registry refused the credentials (or their absence): HTTP 401. */
  public static final String REGISTRY_UNAUTHORIZED = "REGISTRY_UNAUTHORIZED";

  /** The registry accepted who we are but not what we asked: HTTP 403. */
  public static final String REGISTRY_FORBIDDEN = "REGISTRY_FORBIDDEN";

  /** The repository or image does not exist in the registry (pulling a base image). */
  public static final String REGISTRY_NOT_FOUND = "REGISTRY_NOT_FOUND";

  /** The registry could not be reached: refused, unknown host, timeout, TLS failure. */
  public static final String REGISTRY_UNREACHABLE = "REGISTRY_UNREACHABLE";

  /** The registry does not allow deleting manifests (distribution's default). */
  public static final String REGISTRY_DELETE_DISABLED = "REGISTRY_DELETE_DISABLED";

  /** The registry answered with something the protocol does not expect. */
  public static final String REGISTRY_ERROR = "REGISTRY_ERROR";

  /**
   * An image's Artifact Registry repository does not exist and Grove was not asked to create it.
   */
  public static final String AR_REPOSITORY_NOT_FOUND = "AR_REPOSITORY_NOT_FOUND";

  /** The Artifact Registry repository exists but does not hold Docker images. */
  public static final String AR_REPOSITORY_NOT_DOCKER = "AR_REPOSITORY_NOT_DOCKER";

  // -- clusters (HTTP 502 when a daemon request fails with a KUBE_ one)

  /** The kubeconfig cannot be read or parsed, or names no usable context. */
  public static final String KUBE_CONFIG = "KUBE_CONFIG";

  /** The cluster's API server could not be reached. */
  public static final String KUBE_UNREACHABLE = "KUBE_UNREACHABLE";

  /** The cluster refused the kubeconfig's credentials: HTTP 401. */
  public static final String KUBE_UNAUTHORIZED = "KUBE_UNAUTHORIZED";

  /** The cluster's RBAC denied a request: HTTP 403. */
  public static final String KUBE_FORBIDDEN = "KUBE_FORBIDDEN";

  /** The cluster answered a request with another error. */
  public static final String KUBE_API_ERROR = "KUBE_API_ERROR";

  /** A Deploy reached its handler without a namespace and provider (a bug outside the daemon). */
  public static final String NO_DEPLOY_TARGET = "NO_DEPLOY_TARGET";

  /**
   * A rollout cannot finish: a pod fails fast (pull, crash loop, bad config), a Job fails, or a
   * Deployment exceeds its progress deadline.
   */
  public static final String ROLLOUT_FAILED = "ROLLOUT_FAILED";

  /** A rollout did not finish within the action's timeout. */
  public static final String ROLLOUT_TIMEOUT = "ROLLOUT_TIMEOUT";

  /** A secret to copy into the app namespace (an image pull secret) does not exist. */
  public static final String SECRET_NOT_FOUND = "SECRET_NOT_FOUND";

  /** The local sandbox cluster did not start. */
  public static final String SANDBOX_FAILED = "SANDBOX_FAILED";

  // -- render warnings of kubernetes Deploys

  /** A pod template pulls from a private registry with no pull secret Grove knows of. */
  public static final String GROVE_PULL_SECRET = "GROVE_PULL_SECRET";

  /** A {@code patchResources} entry names no object of the manifests. */
  public static final String GROVE_PATCH_UNMATCHED = "GROVE_PATCH_UNMATCHED";

  /** Both {@code files} and {@code manifestTemplates} are set; {@code files} is not read. */
  public static final String GROVE_FILES_IGNORED = "GROVE_FILES_IGNORED";

  private ActionCodes() {}
}
