package dev.grove.sandbox.service;

import dev.grove.sandbox.node.NodeNetwork;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's DNS server as the pods see it (their {@code nameserver}, {@link
 * NodeNetwork#GATEWAY}:53 over UDP and TCP, inside the node): {@code SVC.NS.svc.cluster.local} is
 * the Service's ClusterIP (a headless Service's ready pods), {@code A-B-C-D.NS.pod.cluster.local}
 * is {@code A.B.C.D}, any other name under {@code cluster.local} does not exist. Names outside the
 * cluster are refused: the sandbox has no upstream to ask (no internet). As a convenience for
 * resolvers that skip the search list for dotted names (musl with {@code ndots:1}), {@code SVC.NS}
 * is answered too.
 */
final class ClusterDns implements AutoCloseable {

  static final int PORT = 53;

  /** How long resolvers may keep an answer: short, as Services and pods come and go. */
  static final int TTL = 5;

  private static final Logger LOG = LoggerFactory.getLogger(ClusterDns.class);
  private static final Pattern POD_NAME =
      Pattern.compile(
          "(\\d{1,3})-(\\d{1,3})-(\\d{1,3})-(\\d{1,3})\\.[^.]+\\.pod\\.cluster\\.local");

  private volatile Map<String, List<String>> names = Map.of();
  private final DatagramChannel channel;
  private final ServerSocketChannel tcp;
  private final Thread thread;
  private final Thread tcpThread;

  private ClusterDns(DatagramChannel channel, ServerSocketChannel tcp) {
    this.channel = channel;
    this.tcp = tcp;
    this.thread = new Thread(this::serve, "sandbox-dns");
    this.thread.setDaemon(true);
    this.tcpThread = new Thread(this::serveTcp, "sandbox-dns-tcp");
    this.tcpThread.setDaemon(true);
  }

  /** Serves on {@code address}:53 inside the node. */
  static ClusterDns start(NodeNetwork network, String address) throws IOException {
    return start(network, new InetSocketAddress(InetAddress.getByName(address), PORT));
  }

  /**
   * Serves on {@code address} inside the node, over UDP and TCP (for answers a resolver retries
   * over TCP); port 0 takes a free UDP port and the same one for TCP.
   */
  static ClusterDns start(NodeNetwork network, InetSocketAddress address) throws IOException {
    DatagramChannel channel =
        network.inNode(
            () -> {
              DatagramChannel c = DatagramChannel.open();
              try {
                c.bind(address);
                return c;
              } catch (IOException e) {
                c.close();
                throw new IOException("the cluster DNS cannot listen on " + address + ": " + e, e);
              }
            });
    InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
    ServerSocketChannel tcp;
    try {
      tcp =
          network.inNode(
              () -> {
                ServerSocketChannel s = ServerSocketChannel.open();
                try {
                  s.bind(bound, 16);
                  return s;
                } catch (IOException e) {
                  s.close();
                  throw new IOException(
                      "the cluster DNS cannot listen on TCP " + bound + ": " + e, e);
                }
              });
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    ClusterDns dns = new ClusterDns(channel, tcp);
    dns.thread.start();
    dns.tcpThread.start();
    LOG.info("Cluster DNS on {} in the node", bound);
    return dns;
  }

  /** Where it listens (UDP and TCP). */
  InetSocketAddress address() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  /** The names it answers from now on: fully qualified Service names and their addresses. */
  void names(Map<String, List<String>> names) {
    this.names = Map.copyOf(names);
  }

  private void serve() {
    ByteBuffer buffer = ByteBuffer.allocate(1500);
    while (channel.isOpen()) {
      try {
        buffer.clear();
        SocketAddress from = channel.receive(buffer);
        if (from == null) {
          continue;
        }
        byte[] packet = new byte[buffer.position()];
        buffer.flip();
        buffer.get(packet);
        Optional<byte[]> answer = answer(packet, names);
        if (answer.isPresent()) {
          channel.send(ByteBuffer.wrap(answer.get()), from);
        }
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException | RuntimeException e) {
        LOG.debug("a DNS query could not be answered", e);
      }
    }
  }

  /** DNS over TCP: each message after its two-byte length, on connections one at a time. */
  private void serveTcp() {
    while (tcp.isOpen()) {
      try (SocketChannel connection = tcp.accept()) {
        connection.socket().setSoTimeout(5000);
        DataInputStream in = new DataInputStream(connection.socket().getInputStream());
        DataOutputStream out = new DataOutputStream(connection.socket().getOutputStream());
        while (true) {
          int length;
          try {
            length = in.readUnsignedShort();
          } catch (EOFException e) {
            break;
          }
          byte[] packet = in.readNBytes(length);
          Optional<byte[]> answer = answer(packet, names);
          if (answer.isEmpty()) {
            break;
          }
          out.writeShort(answer.get().length);
          out.write(answer.get());
          out.flush();
        }
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException | RuntimeException e) {
        LOG.debug("a DNS query over TCP could not be answered", e);
      }
    }
  }

  /** The answer to one query packet over {@code names}; empty for what is not a query at all. */
  static Optional<byte[]> answer(byte[] packet, Map<String, List<String>> names) {
    Optional<DnsMessage.Query> parsed = DnsMessage.parse(packet, packet.length);
    if (parsed.isEmpty() || parsed.get().isResponse()) {
      return Optional.empty();
    }
    DnsMessage.Query query = parsed.get();
    if (query.opcode() != 0) {
      return Optional.of(DnsMessage.answer(query, DnsMessage.NOTIMP, false, List.of(), TTL));
    }
    if (query.type() < 0) {
      return Optional.of(DnsMessage.answer(query, DnsMessage.FORMERR, false, List.of(), TTL));
    }
    String name = query.name();
    Optional<List<String>> found = lookup(name, names);
    boolean inZone = name.equals(ServiceRoutes.DOMAIN) || name.endsWith("." + ServiceRoutes.DOMAIN);
    if (found.isEmpty()) {
      return Optional.of(
          DnsMessage.answer(
              query, inZone ? DnsMessage.NXDOMAIN : DnsMessage.REFUSED, inZone, List.of(), TTL));
    }
    List<Inet4Address> addresses = new ArrayList<>();
    boolean wantsA =
        query.dnsClass() == DnsMessage.CLASS_IN
            && (query.type() == DnsMessage.TYPE_A || query.type() == DnsMessage.TYPE_ANY);
    if (wantsA) {
      for (String ip : found.get()) {
        ipv4(ip).ifPresent(addresses::add);
      }
    }
    // the name exists: other types (AAAA) get no records and NOERROR, not NXDOMAIN
    return Optional.of(DnsMessage.answer(query, DnsMessage.NOERROR, true, addresses, TTL));
  }

  /** The addresses of {@code name}, when the cluster has that name. */
  static Optional<List<String>> lookup(String name, Map<String, List<String>> names) {
    List<String> direct = names.get(name);
    if (direct != null) {
      return Optional.of(direct);
    }
    if (POD_NAME.matcher(name).matches()) {
      String ip = name.substring(0, name.indexOf('.')).replace('-', '.');
      if (ipv4(ip).isPresent()) {
        return Optional.of(List.of(ip));
      }
    }
    String[] labels = name.split("\\.");
    if (labels.length == 2) {
      List<String> shorthand = names.get(name + ".svc." + ServiceRoutes.DOMAIN);
      if (shorthand != null) {
        return Optional.of(shorthand);
      }
    }
    return Optional.empty();
  }

  private static Optional<Inet4Address> ipv4(String ip) {
    String[] parts = ip.split("\\.");
    if (parts.length != 4) {
      return Optional.empty();
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      try {
        int v = Integer.parseInt(parts[i]);
        if (v < 0 || v > 255) {
          return Optional.empty();
        }
        bytes[i] = (byte) v;
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    try {
      return Optional.of((Inet4Address) InetAddress.getByAddress(bytes));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
      tcp.close();
    } catch (IOException e) {
      LOG.debug("closing the DNS socket", e);
    }
    try {
      thread.join(2000);
      tcpThread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
