package dev.grove.actions.kube;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels and annotations Grove puts on what it deploys. The action label finds an action's
 * objects (delete, prune); the version annotation tells a deployed object from an outdated one.
 */
public final class GroveLabels {

  /** {@code app.kubernetes.io/name}: the action's name. */
  public static final String NAME = "app.kubernetes.io/name";

  /** {@code app.kubernetes.io/managed-by}: always {@value #MANAGER}. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  /** The value of {@link #MANAGED_BY}. */
  public static final String MANAGER = "grove";

  /** {@code grove.dev/action}: the action's reference, such as {@code deploy.web}. */
  public static final String ACTION = "grove.dev/action";

  /** {@code grove.dev/version}: the annotation with the action's version. */
  public static final String VERSION = "grove.dev/version";

  private GroveLabels() {}

  /**
   * The labels of every object an action deploys.
   *
   * @param name the action's name ({@code web})
   * @param ref the action's reference ({@code deploy.web})
   */
  public static Map<String, Object> of(String name, String ref) {
    Map<String, Object> labels = new LinkedHashMap<>();
    labels.put(NAME, name);
    labels.put(MANAGED_BY, MANAGER);
    labels.put(ACTION, ref);
    return labels;
  }

  /** The selector of an action's pods: its reference only, since selectors cannot change. */
  public static Map<String, Object> selector(String ref) {
    Map<String, Object> selector = new LinkedHashMap<>();
    selector.put(ACTION, ref);
    return selector;
  }
}
