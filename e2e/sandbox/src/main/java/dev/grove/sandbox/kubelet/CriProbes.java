package dev.grove.sandbox.kubelet;

import dev.grove.sandbox.cri.CriClient;
import dev.grove.sandbox.cri.v1.ExecSyncResponse;
import dev.grove.sandbox.node.NodeNetwork;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a container's probe once, as the kubelet's prober does: {@code exec} in the container (CRI
 * ExecSync, exit code 0), {@code httpGet} (a status from 200 to 399) and {@code tcpSocket} (the
 * connection opens), the last two dialled inside the node's network namespace. Each is bounded by
 * the probe's {@code timeoutSeconds}.
 */
final class CriProbes {

  /** What one probe run came to; {@code output} says why it failed. */
  record Result(boolean success, String output) {}

  private final CriClient cri;
  private final NodeNetwork network;
  private final ScheduledExecutorService timers;

  CriProbes(CriClient cri, NodeNetwork network, ScheduledExecutorService timers) {
    this.cri = cri;
    this.network = network;
    this.timers = timers;
  }

  Result run(Probe probe, String containerId, String podIp, List<ContainerPort> ports) {
    Duration timeout =
        Duration.ofSeconds(probe.getTimeoutSeconds() == null ? 1 : probe.getTimeoutSeconds());
    try {
      if (probe.getExec() != null) {
        ExecSyncResponse r = cri.execSync(containerId, probe.getExec().getCommand(), timeout);
        String output = (r.getStdout().toStringUtf8() + r.getStderr().toStringUtf8()).strip();
        return new Result(
            r.getExitCode() == 0,
            output.isEmpty()
                ? "command " + probe.getExec().getCommand() + " exited with " + r.getExitCode()
                : output);
      }
      if (probe.getHttpGet() != null) {
        return httpGet(probe.getHttpGet(), podIp, ports, timeout);
      }
      if (probe.getTcpSocket() != null) {
        String host = probe.getTcpSocket().getHost();
        int port = port(probe.getTcpSocket().getPort(), ports);
        InetSocketAddress address =
            new InetSocketAddress(host == null || host.isEmpty() ? podIp : host, port);
        try {
          network.connect(address, timeout).close();
          return new Result(true, "");
        } catch (IOException e) {
          return new Result(false, "dial tcp " + podIp + ":" + port + ": " + e.getMessage());
        }
      }
      if (probe.getGrpc() != null) {
        return new Result(true, "grpc probes are not run by the sandbox: taken as passing");
      }
      return new Result(true, "");
    } catch (CriClient.CriException e) {
      return new Result(false, e.getMessage());
    } catch (IllegalArgumentException e) {
      return new Result(false, e.getMessage());
    }
  }

  private Result httpGet(
      HTTPGetAction get, String podIp, List<ContainerPort> ports, Duration timeout) {
    String host = get.getHost() == null || get.getHost().isEmpty() ? podIp : get.getHost();
    int port = port(get.getPort(), ports);
    String path = get.getPath() == null || get.getPath().isEmpty() ? "/" : get.getPath();
    String url = "http://" + host + ":" + port + path;
    if ("HTTPS".equalsIgnoreCase(get.getScheme())) {
      return new Result(true, "https probes are not run by the sandbox: taken as passing");
    }
    SocketChannel channel;
    try {
      channel = network.connect(new InetSocketAddress(host, port), timeout);
    } catch (IOException e) {
      return new Result(
          false, "Get \"" + url + "\": dial tcp " + host + ":" + port + ": " + e.getMessage());
    }
    ScheduledFuture<?> watchdog =
        timers.schedule(() -> closeQuietly(channel), timeout.toMillis(), TimeUnit.MILLISECONDS);
    try (channel) {
      StringBuilder request =
          new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n");
      if (get.getHttpHeaders() != null) {
        get.getHttpHeaders()
            .forEach(
                h -> request.append(h.getName()).append(": ").append(h.getValue()).append("\r\n"));
      }
      request.append("User-Agent: kube-probe/1.32\r\nAccept: */*\r\nConnection: close\r\n\r\n");
      ByteBuffer out = ByteBuffer.wrap(request.toString().getBytes(StandardCharsets.US_ASCII));
      while (out.hasRemaining()) {
        channel.write(out);
      }
      ByteBuffer in = ByteBuffer.allocate(1024);
      String head = "";
      while (!head.contains("\r\n") && channel.read(in) >= 0 && in.hasRemaining()) {
        head = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
      }
      String[] status = head.split(" ", 3);
      if (status.length < 2 || !status[0].startsWith("HTTP/")) {
        return new Result(false, "Get \"" + url + "\": malformed HTTP response");
      }
      int code = Integer.parseInt(status[1].trim());
      return code >= 200 && code < 400
          ? new Result(true, "")
          : new Result(false, "HTTP probe failed with statuscode: " + code);
    } catch (IOException | NumberFormatException e) {
      return new Result(
          false,
          "Get \""
              + url
              + "\": "
              + (watchdog.isDone()
                  ? "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
                  : e.getMessage()));
    } finally {
      watchdog.cancel(false);
    }
  }

  /** A probe's port: a number, or the name of one of the container's ports. */
  static int port(IntOrString port, List<ContainerPort> ports) {
    if (port == null) {
      throw new IllegalArgumentException("probe has no port");
    }
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    String name = port.getStrVal();
    for (ContainerPort p : ports == null ? List.<ContainerPort>of() : ports) {
      if (name.equals(p.getName())) {
        return p.getContainerPort();
      }
    }
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port \"" + name + "\" is not a port of the container");
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // closing to end a probe that took too long
    }
  }
}
