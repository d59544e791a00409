package dev.grove.cli.client;

import dev.grove.api.http.BuildId;
import dev.grove.api.process.SandboxLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a daemon process: {@code java <jvmOptions> -cp <classpath> <mainClass>}.
 *
 * @param buildId the id a daemon started this way reports; a running daemon with another id is
 *     stale and gets replaced
 */
public record DaemonLaunch(
    Path java, List<String> jvmOptions, String classpath, String mainClass, String buildId) {
  public static final String MAIN_CLASS = "dev.grove.orchestrator.daemon.DaemonMain";
  public static final String CLASSPATH_PROPERTY = "grove.daemon.classpath";
  public static final String CLASSPATH_ENV = "GROVE_DAEMON_CLASSPATH";
  public static final String BUILD_ID_PROPERTY = BuildId.PROPERTY;
  public static final String JAVA_OPTS_ENV = "GROVE_DAEMON_JAVA_OPTS";

  /**
   * On every daemon's command line, with the absolute GROVE_HOME: a grove finds the daemon of its
   * home by it when daemon.json is gone (the home was deleted), and checks that a pid daemon.json
   * names is a Grove daemon before it signals it.
   */
  public static final String HOME_PROPERTY = "grove.home";

  public DaemonLaunch {
    Objects.requireNonNull(java, "java");
    jvmOptions = List.copyOf(jvmOptions);
    Objects.requireNonNull(classpath, "classpath");
    Objects.requireNonNull(mainClass, "mainClass");
    Objects.requireNonNull(buildId, "buildId");
  }

  /**
   * The launch the launcher script configured ({@code -Dgrove.daemon.classpath} or {@code
   * GROVE_DAEMON_CLASSPATH}); null when neither is set, and this grove cannot start a daemon.
   */
  public static DaemonLaunch fromSystem(Map<String, String> env) {
    String classpath = System.getProperty(CLASSPATH_PROPERTY);
    if (classpath == null || classpath.isBlank()) {
      classpath = env.get(CLASSPATH_ENV);
    }
    if (classpath == null || classpath.isBlank()) {
      return null;
    }
    String buildId = System.getProperty(BUILD_ID_PROPERTY);
    if (buildId == null || buildId.isBlank()) {
      buildId = BuildId.ofClasspath(classpath);
    }
    // Serial GC: the smallest footprint; it gives heap back after a full collection (the daemon's
    // Housekeeping runs one once idle) down to 40 % free — all at once, not in damped steps over
    // four collections — and to no less than -Xms (the default would be 1/64 of the machine's
    // memory: 384 MiB here, all of its young generation touched before the first collection).
    List<String> options =
        new ArrayList<>(
            List.of(
                "-XX:+UseSerialGC",
                "-XX:MaxRAMPercentage=25",
                "-Xms32m",
                "-XX:MinHeapFreeRatio=20",
                "-XX:MaxHeapFreeRatio=40",
                "-XX:-ShrinkHeapInSteps"));
    String extra = env.get(JAVA_OPTS_ENV);
    if (extra != null && !extra.isBlank()) {
      options.addAll(List.of(extra.trim().split("\\s+")));
    }
    return new DaemonLaunch(
        Path.of(System.getProperty("java.home"), "bin", "java"),
        options,
        classpath,
        MAIN_CLASS,
        buildId);
  }

  /**
   * The daemon's command line. Class data sharing: the first daemon of a build records its classes
   * when it exits ({@code daemon-<build id>.jsa} in GROVE_HOME), later ones of the same build map
   * them, which cuts a cold start by a good part (BENCHMARKS.md).
   */
  List<String> command(Path groveHome) {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(jvmOptions);
    Path archive = groveHome.resolve("daemon-" + buildId + ".jsa");
    if (Files.isRegularFile(archive)) {
      command.add("-XX:SharedArchiveFile=" + archive);
      command.add("-Xshare:auto");
    } else {
      deleteOtherArchives(groveHome, archive);
      command.add("-XX:ArchiveClassesAtExit=" + archive);
    }
    // a JVM crash report goes to GROVE_HOME, never into the folder grove was started from (the
    // JDK 17 here can crash writing the class archive at exit: FACTS in the session notes)
    command.add("-XX:ErrorFile=" + groveHome.resolve("daemon-crash-%p.log"));
    command.add("-Xlog:cds=off");
    command.add("-Xlog:cds+dynamic=off");
    command.add("-D" + BUILD_ID_PROPERTY + "=" + buildId);
    command.add(homeArgument(groveHome));
    // the daemon starts the sandbox itself when a project names its context
    String sandbox = System.getProperty(SandboxLauncher.CLASSPATH_PROPERTY);
    if (sandbox != null && !sandbox.isBlank()) {
      command.add("-D" + SandboxLauncher.CLASSPATH_PROPERTY + "=" + sandbox);
    }
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    return command;
  }

  /** The argument that marks a daemon of {@code groveHome} on its command line. */
  static String homeArgument(Path groveHome) {
    return "-D" + HOME_PROPERTY + "=" + groveHome.toAbsolutePath().normalize();
  }

  /** Archives of other builds are of no use once this build runs. */
  private static void deleteOtherArchives(Path groveHome, Path keep) {
    try (var files = Files.newDirectoryStream(groveHome, "daemon-*.jsa")) {
      for (Path file : files) {
        if (!file.equals(keep)) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException e) {
      // A leftover archive only costs disk space.
    }
  }
}
