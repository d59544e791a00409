package dev.grove.sandbox.cluster;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** fabric8's model to and from JSON (one shared serialization; it is thread-safe). */
public final class KubeJson {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private KubeJson() {}

  public static String write(Object value) {
    return SERIALIZATION.asJson(value);
  }

  public static <T> T read(String json, Class<T> type) {
    return SERIALIZATION.unmarshal(json, type);
  }

  public static <T> T copy(T value) {
    return SERIALIZATION.clone(value);
  }

  /** Whether two model values serialise alike (what an update would change). */
  public static boolean same(Object a, Object b) {
    return write(a).equals(write(b));
  }
}
