package dev.grove.sandbox.service;

import static dev.grove.sandbox.service.ServiceRoutesTest.pod;
import static dev.grove.sandbox.service.ServiceRoutesTest.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Services in a real node namespace this test builds as the sandbox's node does: bridge {@code
 * grove0} with 10.42.0.1/24, two "pods" (namespaces with a veth on the bridge, default route via
 * the gateway), a busybox httpd in one. The other pod reaches the Service's ClusterIP and resolves
 * its names through the cluster DNS on the gateway; a pod no longer ready and a deleted Service
 * stop being reached, and the ClusterIP leaves the node's {@code lo}.
 */
class ServiceProxyIT {

  private static final String CLUSTER_IP = "10.96.0.10";
  private static final String CLIENT_IP = "10.42.0.5";
  private static final String SERVER_IP = "10.42.0.6";

  private final String suffix = UUID.randomUUID().toString().substring(0, 6);
  private final String node = "ghs-node-" + suffix;
  private final String client = "ghs-a-" + suffix;
  private final String server = "ghs-b-" + suffix;
  private final List<String> created = new ArrayList<>();
  private Process httpd;
  private NetnsTestNetwork network;
  private ServiceProxy proxy;

  @BeforeEach
  void buildNode(@TempDir Path www) throws IOException {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root (network namespaces)");
    assumeTrue(Netns.onPath("ip"), "iproute2 (ip) is not installed");
    assumeTrue(
        Netns.onPath("busybox"), "busybox is not installed (apt-get install busybox-static)");
    for (String ns : List.of(node, client, server)) {
      Netns.must("ip netns add " + ns);
      created.add(ns);
    }
    Netns.must("ip -n " + node + " link set lo up");
    Netns.must("ip -n " + node + " link add grove0 type bridge");
    Netns.must("ip -n " + node + " link set grove0 up");
    network = new NetnsTestNetwork(node);
    proxy = ServiceProxy.start(network);
    assertThat(proxy.dnsListening()).as("no bridge address yet").isFalse();
    Netns.must("ip -n " + node + " addr add 10.42.0.1/24 dev grove0");
    podNamespace(client, "va" + suffix, CLIENT_IP);
    podNamespace(server, "vb" + suffix, SERVER_IP);
    Files.writeString(www.resolve("index.html"), "hello from the shop\n");
    httpd =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                server,
                "busybox",
                "httpd",
                "-f",
                "-p",
                "8080",
                "-h",
                www.toString())
            .redirectErrorStream(true)
            .redirectOutput(www.resolve("httpd.log").toFile())
            .start();
  }

  private void podNamespace(String ns, String veth, String ip) throws IOException {
    Netns.must("ip -n " + node + " link add " + veth + " type veth peer name eth0 netns " + ns);
    Netns.must("ip -n " + node + " link set " + veth + " master grove0");
    Netns.must("ip -n " + node + " link set " + veth + " up");
    Netns.must("ip -n " + ns + " link set lo up");
    Netns.must("ip -n " + ns + " addr add " + ip + "/24 dev eth0");
    Netns.must("ip -n " + ns + " link set eth0 up");
    Netns.must("ip -n " + ns + " route add default via 10.42.0.1");
  }

  @AfterEach
  void removeNode() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (network != null) {
      network.close();
    }
    if (httpd != null) {
      httpd.destroy();
      if (!httpd.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        httpd.destroyForcibly();
      }
    }
    for (String ns : created) {
      Netns.run(List.of("ip", "netns", "del", ns), Duration.ofSeconds(20));
    }
  }

  @Test
  void a_pod_reaches_a_service_by_cluster_ip_and_by_name_until_it_is_gone() throws Exception {
    Service web = service("web", "shop", CLUSTER_IP, 80, new IntOrString("http"));
    Pod ready = pod("web-1", "shop", Map.of("app", "web"), SERVER_IP, true, 8080);
    Pod unready = pod("web-1", "shop", Map.of("app", "web"), SERVER_IP, false, 8080);

    proxy.reconcile(List.of(web), List.of(ready));
    assertThat(proxy.dnsListening()).as("the bridge has its address now").isTrue();

    assertThat(fetch(client, CLUSTER_IP, 80)).contains("hello from the shop");
    assertThat(fetch(server, CLUSTER_IP, 80))
        .as("a pod reaches itself through its Service")
        .contains("hello from the shop");
    for (String name : List.of("web.shop", "web.shop.svc.cluster.local")) {
      Netns.Result lookup = inPod(client, "busybox", "nslookup", name, "10.42.0.1");
      assertThat(lookup.output()).as("nslookup " + name).contains(CLUSTER_IP);
    }
    assertThat(
            inPod(client, "busybox", "nslookup", "nothere.shop.svc.cluster.local", "10.42.0.1")
                .output())
        .doesNotContain(CLUSTER_IP);

    proxy.reconcile(List.of(web), List.of(unready));
    assertThat(
            inPod(
                    client,
                    "busybox",
                    "wget",
                    "-q",
                    "-O",
                    "-",
                    "-T",
                    "5",
                    "http://" + CLUSTER_IP + "/")
                .exit())
        .as("no ready endpoint: the connection is closed")
        .isNotZero();

    proxy.reconcile(List.of(), List.of(ready));
    assertThat(Netns.must("ip -n " + node + " addr show dev lo")).doesNotContain(CLUSTER_IP);
    assertThat(
            inPod(client, "busybox", "nslookup", "web.shop.svc.cluster.local", "10.42.0.1")
                .output())
        .doesNotContain(CLUSTER_IP);
  }

  private String fetch(String ns, String ip, int port) throws IOException {
    Netns.Result result = get(ns, ip, port);
    assertThat(result.exit())
        .as("GET " + ip + ":" + port + " in " + ns + ": " + result.output())
        .isZero();
    return result.output();
  }

  /** An HTTP GET with busybox nc (busybox-static 1.35's wget crashes on this machine). */
  private static Netns.Result get(String ns, String ip, int port) throws IOException {
    return inPod(
        ns,
        "busybox",
        "sh",
        "-c",
        "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 5 " + ip + " " + port);
  }

  private static Netns.Result inPod(String ns, String... command) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(List.of(command));
    return Netns.run(full, Duration.ofSeconds(20));
  }
}
