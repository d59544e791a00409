package dev.grove.cli.client;

import dev.grove.api.http.DaemonInfo;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A daemon process that is alive but answers nothing, as a daemon whose workers are all busy did:
 * it accepts connections, writes daemon.json and never replies.
 */
public final class SilentDaemonMain {
  private SilentDaemonMain() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(System.getenv("GROVE_HOME"));
    List<Socket> held = new ArrayList<>();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Files.createDirectories(home);
      Files.write(
          home.resolve("daemon.json"),
          dev.grove.cli.TestJson.MAPPER.writeValueAsBytes(
              new DaemonInfo(
                  server.getLocalPort(),
                  ProcessHandle.current().pid(),
                  "0".repeat(64),
                  System.getProperty("grove.buildId"))));
      System.out.println("silent daemon on port " + server.getLocalPort());
      while (true) {
        held.add(server.accept());
      }
    }
  }
}
