package dev.grove.sandbox.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on {@code 127.0.0.1:PORT} inside the node's namespace and pipes each connection to {@code
 * 127.0.0.1:PORT} on the machine: so containerd, which runs in the node, reaches the sandbox
 * registry at the address pods' image names carry. Two threads per connection; a side's end of
 * stream is passed on as a half-close.
 */
final class RegistryRelay implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryRelay.class);

  private final ServerSocketChannel server;
  private final InetSocketAddress target;
  private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private RegistryRelay(ServerSocketChannel server, InetSocketAddress target) {
    this.server = server;
    this.target = target;
  }

  /**
   * Starts relaying the node's {@code 127.0.0.1:port} to the machine's.
   *
   * @throws IOException when the port cannot be bound in the node
   */
  static RegistryRelay start(NodeNetwork network, int port) throws IOException {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
    ServerSocketChannel server =
        network.inNode(
            () -> {
              ServerSocketChannel channel = ServerSocketChannel.open();
              try {
                channel.bind(address);
                return channel;
              } catch (IOException e) {
                channel.close();
                throw e;
              }
            });
    RegistryRelay relay = new RegistryRelay(server, address);
    // this thread is not in the node: the connections it opens are the machine's
    Thread acceptor = new Thread(relay::accept, "node-registry-relay");
    acceptor.setDaemon(true);
    acceptor.start();
    LOG.info("Relaying the node's {} to the machine's", address);
    return relay;
  }

  private void accept() {
    while (!closed) {
      SocketChannel inside;
      try {
        inside = server.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("Registry relay stops accepting: {}", e.getMessage());
        }
        return;
      }
      SocketChannel outside;
      try {
        outside = SocketChannel.open(target);
      } catch (IOException e) {
        LOG.warn("Registry relay cannot reach {}: {}", target, e.getMessage());
        closeQuietly(inside);
        continue;
      }
      open.add(inside);
      open.add(outside);
      Connection connection = new Connection(inside, outside);
      pump(inside, outside, connection, "in");
      pump(outside, inside, connection, "out");
    }
  }

  /** Both directions of one relayed connection; closes both channels once both ended. */
  private final class Connection {
    private final SocketChannel a;
    private final SocketChannel b;
    private int ended;

    Connection(SocketChannel a, SocketChannel b) {
      this.a = a;
      this.b = b;
    }

    synchronized void ended() {
      if (++ended == 2) {
        closeQuietly(a);
        closeQuietly(b);
        open.remove(a);
        open.remove(b);
      }
    }
  }

  private void pump(SocketChannel from, SocketChannel to, Connection connection, String name) {
    Thread thread =
        new Thread(
            () -> {
              try {
                ChannelCopy.copy(from, to, 64 * 1024);
              } catch (IOException e) {
                // a side reset or the relay closed: end both directions
                closeQuietly(from);
                closeQuietly(to);
              } finally {
                connection.ended();
              }
            },
            "node-registry-relay-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // closing: nothing to do
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing: nothing to do
    }
    for (SocketChannel channel : open) {
      closeQuietly(channel);
    }
    open.clear();
  }
}
