package dev.grove.actions.kube;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@code grove sandbox up} keeps its state ({@code $GROVE_HOME/sandbox/}, {@code GROVE_HOME}
 * defaulting to {@code ~/.grove}), as the invoking shell's environment names it: the kubeconfig of
 * the {@code grove-sandbox} context and the registry's credentials.
 */
public final class SandboxFiles {
  public static final String CONTEXT = "grove-sandbox";

  private SandboxFiles() {}

  public static Path dir(Map<String, String> env) {
    String home = env.get("GROVE_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home, "sandbox");
    }
    String user = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(user, ".grove", "sandbox");
  }

  public static Path kubeconfig(Map<String, String> env) {
    return dir(env).resolve("kubeconfig");
  }

  /** The sandbox registry's {@code host:port}, user and password, when a sandbox was started. */
  public record Registry(String host, String user, String password, Path source) {}

  /**
   * Whether the sandbox's API answers ({@code GET /version} within a second; for K3s, its port
   * accepting a connection).
   */
  public static boolean running(Map<String, String> env) {
    Path file = dir(env).resolve("sandbox.json");
    try {
      JsonElement parsed = JsonParser.parseString(Files.readString(file));
      String url = parsed.getAsJsonObject().get("apiUrl").getAsString();
      if (url.startsWith("https:")) { // K3s (`sandbox up --k3s`): its own CA; the port answering
        java.net.URI uri = java.net.URI.create(url);
        try (java.net.Socket socket = new java.net.Socket()) {
          socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 1000);
        }
        return Files.isRegularFile(kubeconfig(env));
      }
      java.net.HttpURLConnection connection =
          (java.net.HttpURLConnection)
              java.net.URI.create(url + "/version").toURL().openConnection();
      connection.setConnectTimeout(1000);
      connection.setReadTimeout(1000);
      int code = connection.getResponseCode();
      connection.disconnect();
      return code == 200 && Files.isRegularFile(kubeconfig(env));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  public static Optional<Registry> registry(Map<String, String> env) {
    Path file = dir(env).resolve("sandbox.json");
    try {
      JsonElement parsed = JsonParser.parseString(Files.readString(file));
      if (!parsed.isJsonObject()) {
        return Optional.empty();
      }
      JsonObject state = parsed.getAsJsonObject();
      if (!state.has("registry") || !state.has("registryUser") || !state.has("registryPassword")) {
        return Optional.empty();
      }
      return Optional.of(
          new Registry(
              state.get("registry").getAsString(),
              state.get("registryUser").getAsString(),
              state.get("registryPassword").getAsString(),
              file));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
