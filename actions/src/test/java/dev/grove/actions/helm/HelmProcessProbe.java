package dev.grove.actions.helm;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by {@link HelmProcessLoadsNothingHereTest} in a JVM of its own (the test JVM may have loaded
 * the library for LocalHelmTest): renders the test chart through a {@link HelmProcess} and says
 * whether Helm's native library is mapped into this process and into the worker.
 */
public final class HelmProcessProbe {

  private HelmProcessProbe() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    try (HelmProcess helm = new HelmProcess(home)) {
      System.out.println("before-call-worker=" + helm.workerPid().isPresent());
      HelmFixtures.assertRenderedWithValues(HelmFixtures.render(helm));
      long worker = helm.workerPid().orElseThrow();
      System.out.println("worker-maps-helm=" + mapsHelm(Path.of("/proc/" + worker + "/maps")));
      System.out.println("here-maps-helm=" + mapsHelm(Path.of("/proc/self/maps")));
    }
  }

  private static boolean mapsHelm(Path maps) throws Exception {
    return Files.readString(maps).lines().anyMatch(line -> line.matches(".*/helm-[^/]*\\.so$"));
  }
}
