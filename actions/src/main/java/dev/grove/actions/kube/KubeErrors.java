package dev.grove.actions.kube;

/** The machine codes of Kubernetes failures. */
public final class KubeErrors {
  public static final String KUBE_UNREACHABLE = "KUBE_UNREACHABLE";
  public static final String KUBE_UNAUTHORIZED = "KUBE_UNAUTHORIZED";
  public static final String KUBE_FORBIDDEN = "KUBE_FORBIDDEN";
  public static final String KUBE_API_ERROR = "KUBE_API_ERROR";

  private KubeErrors() {}
}
