package dev.grove.cli.client;

/** A daemon process that fails at start, as a broken classpath would. */
public final class CrashingDaemonMain {
  private CrashingDaemonMain() {}

  public static void main(String[] args) {
    System.err.println("crashing-daemon: cannot start");
    System.exit(1);
  }
}
