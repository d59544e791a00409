package dev.grove.orchestrator.daemon;

/** This daemon's build id: the launcher's when it passed one, else that of the JVM's classpath. */
final class BuildId {
  private BuildId() {}

  static String current() {
    String given = System.getProperty(dev.grove.api.http.BuildId.PROPERTY);
    if (given != null && !given.isBlank()) {
      return given;
    }
    return dev.grove.api.http.BuildId.ofClasspath(System.getProperty("java.class.path", ""));
  }
}
