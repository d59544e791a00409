package dev.grove.actions.helm;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A Kubernetes API that completes the TLS handshake, reads the request and never answers: what left
 * Helm stuck in the spike (docs/notes/helm-spike.md). On 127.0.0.1, a free port; its key is made by
 * the JDK's keytool.
 */
final class HangingKubeApi implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();

  HangingKubeApi(Path scratch) throws Exception {
    Path keystore = scratch.resolve("hang.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "hang",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "san=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      keytool.destroyForcibly();
      throw new IllegalStateException(
          "keytool failed: " + new String(keytool.getInputStream().readAllBytes()));
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    server =
        tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "hanging-kube-api");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A kubeconfig whose server is this socket. */
  String kubeconfig() {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: hang
          cluster:
            server: https://127.0.0.1:%d
            insecure-skip-tls-verify: true
        users:
        - name: hang
          user:
            token: none
        contexts:
        - name: hang
          context: {cluster: hang, user: hang}
        current-context: hang
        """
        .formatted(server.getLocalPort());
  }

  /** Requests read (and never answered) so far. */
  int requests() {
    return requests.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        held.add(socket);
        Thread reader = new Thread(() -> hold((SSLSocket) socket), "hanging-kube-api-conn");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void hold(SSLSocket socket) {
    try {
      socket.startHandshake();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      if (in.read(buffer) > 0) {
        requests.incrementAndGet();
      }
      while (in.read(buffer) >= 0) {
        // read and never answer
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : held) {
      socket.close();
    }
  }
}
