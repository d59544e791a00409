package dev.grove.sandbox.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.sandbox.node.NodeNetwork;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** The cluster DNS on its sockets: a query over UDP and over TCP gets the same answer. */
class ClusterDnsServerTest {

  @Test
  void answers_over_udp_and_tcp() throws Exception {
    try (ClusterDns dns =
        ClusterDns.start(
            new HostNetwork(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      dns.names(Map.of("web.shop.svc.cluster.local", List.of("10.96.0.12")));
      InetSocketAddress address = dns.address();
      byte[] query = DnsMessage.query(77, "web.shop.svc.cluster.local", DnsMessage.TYPE_A);
      byte[] expected =
          ClusterDns.answer(query, Map.of("web.shop.svc.cluster.local", List.of("10.96.0.12")))
              .orElseThrow();

      byte[] overUdp;
      try (DatagramSocket udp = new DatagramSocket()) {
        udp.setSoTimeout(5000);
        udp.send(new DatagramPacket(query, query.length, address));
        DatagramPacket reply = new DatagramPacket(new byte[512], 512);
        udp.receive(reply);
        overUdp = Arrays.copyOf(reply.getData(), reply.getLength());
      }
      byte[] overTcp;
      try (Socket tcp = new Socket(address.getAddress(), address.getPort())) {
        tcp.setSoTimeout(5000);
        DataOutputStream out = new DataOutputStream(tcp.getOutputStream());
        out.writeShort(query.length);
        out.write(query);
        out.flush();
        DataInputStream in = new DataInputStream(tcp.getInputStream());
        overTcp = in.readNBytes(in.readUnsignedShort());
      }

      assertThat(overUdp).isEqualTo(expected);
      assertThat(overTcp).isEqualTo(expected);
      assertThat(DnsMessage.u16(overUdp, 6)).as("one answer").isEqualTo(1);
    }
  }

  /** The machine's own network as the "node". */
  private static final class HostNetwork implements NodeNetwork {
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
