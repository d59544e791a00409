package dev.grove.sandbox.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The network of the sandbox's node: a Linux network namespace the sandbox creates, holding the
 * pods' bridge ({@value #BRIDGE}, {@value #GATEWAY}/24) and every pod address. Nothing with a
 * private-range address appears in the machine's own namespace: the sandbox's own code reaches pods
 * by opening sockets on a thread that has entered the node's namespace ({@link #inNode}); a socket
 * stays in the namespace it was created in, so the channel can then be used from any thread.
 */
public interface NodeNetwork {

  /** The pods' bridge inside the node namespace. */
  String BRIDGE = "grove0";

  /** The bridge's address: the pods' default route and their DNS server. */
  String GATEWAY = "10.42.0.1";

  /** The pods' range ({@link dev.grove.sandbox.cluster.Node#podIp} is in it). */
  String POD_CIDR = "10.42.0.0/24";

  /** The node namespace's name ({@code ip netns exec NAME ...}). */
  String namespace();

  /**
   * Runs {@code task} on a thread that has entered the node's network namespace and returns its
   * result: sockets it opens (connect, bind, listen, datagram) live in the node namespace.
   *
   * <p>A task should open its sockets and return: a thread it starts is born in the node's
   * namespace, and so is any thread a shared pool creates while it runs ({@code
   * ForkJoinPool.commonPool()}, {@code CompletableFuture.supplyAsync} without an executor, a
   * client's lazily started selector), which would then open sockets meant for the machine in the
   * node.
   *
   * @throws IOException what the task threw, or when the namespace is gone
   */
  <T> T inNode(Callable<T> task) throws IOException;

  /** A blocking TCP connection to {@code address} inside the node (a pod, the node's loopback). */
  default SocketChannel connect(InetSocketAddress address, Duration timeout) throws IOException {
    return inNode(
        () -> {
          SocketChannel channel = SocketChannel.open();
          try {
            channel.socket().connect(address, (int) timeout.toMillis());
            return channel;
          } catch (IOException e) {
            channel.close();
            throw e;
          }
        });
  }

  /** Runs a command in the node namespace (as {@code ip netns exec}); its exit code. */
  int run(java.util.List<String> command, Duration timeout) throws IOException;
}
