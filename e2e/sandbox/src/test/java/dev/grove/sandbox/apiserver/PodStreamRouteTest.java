package dev.grove.sandbox.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.grove.sandbox.kubelet.PodStreams;
import dev.grove.sandbox.node.NodeNetwork;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pods/exec}, {@code pods/attach} and {@code pods/portforward} proxied to a fake streaming
 * server: the upgrade's headers reach it (the token does not), its 101 reaches the client, bytes
 * flow both ways and a close on either side ends both; fabric8's websocket exec and port forward
 * work through it; a simulated node, a missing pod and a missing token get a Status at once.
 */
class PodStreamRouteTest {

  private static final String TOKEN = "t0ken";
  private static final String EXEC =
      "/api/v1/namespaces/default/pods/web/exec?command=ls&command=-l&container=app&stdin=true"
          + "&stdout=true&stderr=true&tty=false";

  private SandboxApi api;
  private KubernetesClient client;
  private final List<String> calls = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    api =
        SandboxApi.start(
            0,
            Clock.systemUTC(),
            TOKEN,
            new PatchRules(
                (apiVersion, kind) -> false,
                (object, patch) -> object,
                (object, patch) -> object,
                (apiVersion, kind, fields) -> Optional.empty()));
    client = new KubernetesClientBuilder().withConfig(api.config()).build();
    client
        .pods()
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("busybox")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  @AfterEach
  void stop() {
    client.close();
    api.close();
  }

  @Test
  void a_spdy_exec_is_proxied_with_its_upgrade_headers_and_bytes_flow_both_ways() throws Exception {
    try (FakeStreamingServer runtime =
        new FakeStreamingServer(FakeStreamingServer.Mode.SPDY_ECHO)) {
      api.streams(streams(runtime));
      try (SSLSocket socket = connect()) {
        send(
            socket,
            "POST "
                + EXEC
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + TOKEN
                + "\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n"
                + "X-Stream-Protocol-Version: v3.channel.k8s.io\r\n"
                + "User-Agent: kubectl\r\nContent-Length: 0\r\n\r\n");
        String answer = FakeStreamingServer.readHead(socket.getInputStream());

        assertThat(answer).startsWith("HTTP/1.1 101");
        assertThat(FakeStreamingServer.header(answer, "Upgrade")).isEqualTo("SPDY/3.1");
        assertThat(FakeStreamingServer.header(answer, "X-Stream-Protocol-Version"))
            .isEqualTo("v4.channel.k8s.io");
        assertThat(calls).containsExactly("exec default/web app [ls, -l] in out err");
        String head = runtime.heads.get(0);
        assertThat(head).startsWith("POST /exec/abc HTTP/1.1\r\n");
        assertThat(FakeStreamingServer.header(head, "Host"))
            .isEqualTo("127.0.0.1:" + runtime.port());
        assertThat(FakeStreamingServer.headers(head, "X-Stream-Protocol-Version"))
            .containsExactly("v4.channel.k8s.io", "v3.channel.k8s.io");
        assertThat(FakeStreamingServer.header(head, "Authorization")).isNull();
        assertThat(FakeStreamingServer.header(head, "User-Agent")).isNull();

        for (String message : List.of("hello", "a second, longer message")) {
          socket.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
          socket.getOutputStream().flush();
          assertThat(read(socket.getInputStream(), message.length())).isEqualTo(message);
        }
      }
      assertThat(runtime.closedByClient.poll(10, TimeUnit.SECONDS))
          .as("the runtime's side closes when the client's does")
          .isNotNull();
    }
  }

  @Test
  void the_runtime_closing_ends_the_clients_stream() throws Exception {
    try (FakeStreamingServer runtime =
        new FakeStreamingServer(FakeStreamingServer.Mode.WEBSOCKET_EXEC)) {
      api.streams(streams(runtime));
      try (SSLSocket socket = connect()) {
        socket.setSoTimeout(10_000);
        send(
            socket,
            "GET "
                + EXEC
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + TOKEN
                + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n");
        String answer = FakeStreamingServer.readHead(socket.getInputStream());
        assertThat(answer).startsWith("HTTP/1.1 101");
        assertThat(FakeStreamingServer.header(answer, "Sec-WebSocket-Accept"))
            .isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        assertThat(FakeStreamingServer.header(answer, "Sec-WebSocket-Protocol"))
            .isEqualTo("v4.channel.k8s.io");
        byte[] rest = socket.getInputStream().readAllBytes(); // ends: the runtime closed
        assertThat(new String(rest, StandardCharsets.UTF_8)).contains("hi\n", "Success");
      }
      assertThat(runtime.heads.get(0)).startsWith("GET /exec/abc HTTP/1.1\r\n");
    }
  }

  @Test
  void fabric8_exec_over_websockets_reaches_the_runtime_and_gets_its_output_and_exit_code()
      throws Exception {
    try (FakeStreamingServer runtime =
        new FakeStreamingServer(FakeStreamingServer.Mode.WEBSOCKET_EXEC)) {
      api.streams(streams(runtime));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ExecWatch exec =
          client
              .pods()
              .inNamespace("default")
              .withName("web")
              .inContainer("app")
              .writingOutput(out)
              .exec("ls", "/")) {
        assertThat(exec.exitCode().get(10, TimeUnit.SECONDS)).isZero();
      }
      assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hi\n");
      assertThat(calls).containsExactly("exec default/web app [ls, /] out");
      assertThat(FakeStreamingServer.header(runtime.heads.get(0), "Sec-WebSocket-Protocol"))
          .contains("v4.channel.k8s.io");
    }
  }

  @Test
  void fabric8_port_forward_over_websockets_carries_bytes_both_ways() throws Exception {
    try (FakeStreamingServer runtime =
            new FakeStreamingServer(FakeStreamingServer.Mode.WEBSOCKET_PORT_FORWARD);
        LocalPortForward forward = forward(runtime);
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), forward.getLocalPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      assertThat(read(socket.getInputStream(), 4)).isEqualTo("ping");
      assertThat(calls).containsExactly("portforward default/web [8080]");
      assertThat(runtime.heads.get(0)).startsWith("GET /portforward/abc HTTP/1.1\r\n");
    }
  }

  private LocalPortForward forward(FakeStreamingServer runtime) {
    api.streams(streams(runtime));
    return client.pods().inNamespace("default").withName("web").portForward(8080);
  }

  @Test
  void a_refused_upgrade_answers_the_runtimes_status_as_a_status() throws Exception {
    try (FakeStreamingServer runtime = new FakeStreamingServer(FakeStreamingServer.Mode.REFUSE)) {
      api.streams(streams(runtime));
      Answer answer = upgrade(TOKEN, EXEC);
      assertThat(answer.status()).isEqualTo(403);
      assertThat(answer.body()).contains("\"kind\":\"Status\"", "refused the upgrade: 403");
    }
  }

  @Test
  void a_runtime_that_closes_without_answering_is_a_bad_gateway_status() throws Exception {
    try (FakeStreamingServer runtime = new FakeStreamingServer(FakeStreamingServer.Mode.CLOSE)) {
      api.streams(streams(runtime));
      Answer answer = upgrade(TOKEN, EXEC);
      assertThat(answer.status()).isEqualTo(502);
      assertThat(answer.body())
          .contains("\"kind\":\"Status\"", "closed the connection without an answer");
    }
  }

  @Test
  void attach_passes_its_options_and_is_proxied_like_exec() throws Exception {
    try (FakeStreamingServer runtime = new FakeStreamingServer(FakeStreamingServer.Mode.REFUSE)) {
      api.streams(streams(runtime));
      upgrade(
          TOKEN,
          "/api/v1/namespaces/default/pods/web/attach?container=app&stdin=true&stdout=true"
              + "&stderr=true&tty=true");
      assertThat(calls).containsExactly("attach default/web app in out tty");
      assertThat(runtime.heads.get(0)).startsWith("POST /attach/abc HTTP/1.1");
    }
  }

  @Test
  void a_simulated_node_answers_a_status_saying_there_is_no_process() throws Exception {
    Answer answer = upgrade(TOKEN, EXEC);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body())
        .contains("\"kind\":\"Status\"", "the sandbox runs simulated pods", "apt-get install");
    assertThatThrownBy(
            () -> {
              try (ExecWatch exec =
                  client
                      .pods()
                      .inNamespace("default")
                      .withName("web")
                      .writingOutput(new ByteArrayOutputStream())
                      .exec("ls")) {
                exec.exitCode().get(10, TimeUnit.SECONDS);
              }
            })
        // fabric8's vert.x 5 client keeps the refusal's status, not its body (checked above)
        .hasStackTraceContaining("400");
  }

  @Test
  void a_missing_pod_is_not_found_and_a_missing_token_unauthorized() throws Exception {
    try (FakeStreamingServer runtime =
        new FakeStreamingServer(FakeStreamingServer.Mode.SPDY_ECHO)) {
      api.streams(streams(runtime));
      Answer missing = upgrade(TOKEN, EXEC.replace("/web/", "/gone/"));
      Answer anonymous = upgrade("wrong", EXEC);
      Answer badContainer = upgrade(TOKEN, EXEC.replace("container=app", "container=db"));
      Answer noCommand = upgrade(TOKEN, "/api/v1/namespaces/default/pods/web/exec?stdout=1");

      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.body()).contains("pods \\\"gone\\\" not found");
      assertThat(anonymous.status()).isEqualTo(401);
      assertThat(badContainer.status()).isEqualTo(400);
      assertThat(badContainer.body()).contains("container db is not valid for pod web");
      assertThat(noCommand.body()).contains("you must specify at least 1 command");
      assertThat(calls).isEmpty();
      assertThat(runtime.heads).isEmpty();
    }
  }

  @Test
  void kubectl_exec_on_a_simulated_node_prints_the_reason(@TempDir Path home) throws Exception {
    assumeTrue(onPath("kubectl"), "kubectl is not installed");

    Kubectl result = kubectl(home, "exec", "web", "--", "ls");

    assertThat(result.exit()).isNotZero();
    assertThat(result.output()).contains("the sandbox runs simulated pods");
  }

  @Test
  void kubectl_exec_falls_back_from_websockets_to_spdy_when_the_runtime_refuses(@TempDir Path home)
      throws Exception {
    assumeTrue(onPath("kubectl"), "kubectl is not installed");
    try (FakeStreamingServer runtime = new FakeStreamingServer(FakeStreamingServer.Mode.REFUSE)) {
      api.streams(streams(runtime));

      Kubectl result = kubectl(home, "exec", "web", "--", "ls");

      assertThat(result.exit()).isNotZero();
      assertThat(result.output()).contains("refused the upgrade: 403");
      assertThat(runtime.heads).hasSize(2);
      assertThat(runtime.heads.get(0)).startsWith("GET /exec/abc");
      assertThat(FakeStreamingServer.header(runtime.heads.get(0), "Sec-WebSocket-Protocol"))
          .contains("v5.channel.k8s.io");
      assertThat(runtime.heads.get(1)).startsWith("POST /exec/abc");
      assertThat(FakeStreamingServer.header(runtime.heads.get(1), "Upgrade")).isEqualTo("SPDY/3.1");
    }
  }

  @Test
  void kubectl_port_forward_falls_back_from_websocket_tunnelling_to_spdy(@TempDir Path home)
      throws Exception {
    assumeTrue(onPath("kubectl"), "kubectl is not installed");
    try (FakeStreamingServer runtime = new FakeStreamingServer(FakeStreamingServer.Mode.REFUSE)) {
      api.streams(streams(runtime));
      io.fabric8.kubernetes.api.model.Pod pod =
          client.pods().inNamespace("default").withName("web").get();
      pod.setStatus(
          new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").build());
      client.resource(pod).updateStatus(); // kubectl forwards only to a running pod

      Kubectl result = kubectl(home, "port-forward", "pod/web", "0:8080");

      assertThat(result.exit()).isNotZero();
      assertThat(runtime.heads).as(result.output()).hasSize(2);
      assertThat(runtime.heads.get(0)).startsWith("GET /portforward/abc");
      assertThat(FakeStreamingServer.header(runtime.heads.get(0), "Sec-WebSocket-Protocol"))
          .contains("portforward.k8s.io");
      assertThat(runtime.heads.get(1)).startsWith("POST /portforward/abc");
      assertThat(FakeStreamingServer.header(runtime.heads.get(1), "Upgrade")).isEqualTo("SPDY/3.1");
    }
  }

  private record Kubectl(int exit, String output) {}

  private Kubectl kubectl(Path home, String... args) throws Exception {
    Path ca = Files.writeString(home.resolve("ca.crt"), api.certificatePem());
    Path config =
        Files.writeString(
            home.resolve("kubeconfig"),
            "apiVersion: v1\nkind: Config\nclusters:\n- name: sandbox\n  cluster:\n"
                + "    server: "
                + api.url()
                + "\n    certificate-authority: "
                + ca
                + "\nusers:\n- name: sandbox\n  user:\n    token: "
                + TOKEN
                + "\ncontexts:\n- name: sandbox\n  context:\n    cluster: sandbox\n"
                + "    user: sandbox\n    namespace: default\ncurrent-context: sandbox\n");
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", config.toString()));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("out").toFile())
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl " + List.of(args) + " did not end in 60 s");
    }
    return new Kubectl(process.exitValue(), Files.readString(home.resolve("out")));
  }

  private static boolean onPath(String program) {
    return java.util.Arrays.stream(System.getenv("PATH").split(":"))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
  }

  private record Answer(int status, String body) {}

  /** A SPDY upgrade request on a fresh connection; the answer (its body read to its length). */
  private Answer upgrade(String token, String path) throws IOException {
    try (SSLSocket socket = connect()) {
      socket.setSoTimeout(10_000);
      send(
          socket,
          "POST "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
              + token
              + "\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
              + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n");
      String head = FakeStreamingServer.readHead(socket.getInputStream());
      int status = Integer.parseInt(head.split(" ")[1]);
      String length = FakeStreamingServer.header(head, "Content-Length");
      String body = length == null ? "" : read(socket.getInputStream(), Integer.parseInt(length));
      return new Answer(status, body);
    }
  }

  private SSLSocket connect() throws IOException {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry(
          "sandbox",
          CertificateFactory.getInstance("X.509")
              .generateCertificate(
                  new ByteArrayInputStream(
                      api.certificatePem().getBytes(StandardCharsets.US_ASCII))));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, tmf.getTrustManagers(), null);
      SSLSocket socket =
          (SSLSocket)
              tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), api.port());
      socket.setSoTimeout(10_000);
      return socket;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  private static void send(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static String read(InputStream in, int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Streams that answer the fake server's URLs and record each call. */
  private PodStreams streams(FakeStreamingServer runtime) {
    URI base = URI.create("http://127.0.0.1:" + runtime.port());
    return new PodStreams() {
      @Override
      public URI exec(
          String namespace,
          String pod,
          String container,
          List<String> command,
          boolean stdin,
          boolean stdout,
          boolean stderr,
          boolean tty) {
        calls.add(
            "exec "
                + namespace
                + "/"
                + pod
                + " "
                + container
                + " "
                + command
                + flags(stdin, stdout, stderr, tty));
        return base.resolve("/exec/abc");
      }

      @Override
      public URI attach(
          String namespace,
          String pod,
          String container,
          boolean stdin,
          boolean stdout,
          boolean stderr,
          boolean tty) {
        calls.add(
            "attach "
                + namespace
                + "/"
                + pod
                + " "
                + container
                + flags(stdin, stdout, stderr, tty));
        return base.resolve("/attach/abc");
      }

      @Override
      public URI portForward(String namespace, String pod, List<Integer> ports) {
        calls.add("portforward " + namespace + "/" + pod + " " + ports);
        return base.resolve("/portforward/abc");
      }

      @Override
      public NodeNetwork network() {
        return new HostNetwork();
      }
    };
  }

  private static String flags(boolean stdin, boolean stdout, boolean stderr, boolean tty) {
    List<String> flags = new ArrayList<>();
    if (stdin) {
      flags.add("in");
    }
    if (stdout) {
      flags.add("out");
    }
    if (stderr) {
      flags.add("err");
    }
    if (tty) {
      flags.add("tty");
    }
    return flags.isEmpty() ? "" : " " + String.join(" ", flags);
  }

  /** The machine's own network as the "node": tasks run on the calling thread. */
  static final class HostNetwork implements NodeNetwork {
    @Override
    public String namespace() {
      return "";
    }

    @Override
    public <T> T inNode(Callable<T> task) throws IOException {
      try {
        return task.call();
      } catch (IOException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException(e);
      }
    }

    @Override
    public int run(List<String> command, Duration timeout) {
      throw new UnsupportedOperationException();
    }
  }
}
