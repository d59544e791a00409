package dev.grove.sandbox.service;

import dev.grove.sandbox.cluster.ClusterState;
import dev.grove.sandbox.node.ChannelCopy;
import dev.grove.sandbox.node.NodeNetwork;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Services inside the node, as kube-proxy and CoreDNS give them to pods: each ClusterIP is an
 * address on the node namespace's {@code lo}, each Service TCP port a listener there that relays
 * every connection to a ready endpoint pod (round robin; a named targetPort is looked up in the
 * pod's container ports), and {@link ClusterDns} answers the Services' names on the pods'
 * nameserver ({@link NodeNetwork#GATEWAY}). Pods reach a ClusterIP through their default route, the
 * gateway in the node namespace, where the address is local.
 *
 * <p>Why a proxy in the sandbox's JVM and not iptables DNAT rules: it needs nothing of the kernel
 * beyond sockets (no netfilter modules, no conntrack, no hairpin settings on the bridge), is undone
 * by closing sockets, and a failure is a log line of the sandbox rather than a rule to debug. The
 * cost, a thread pair per open connection and the pod seeing the gateway as its client, is what a
 * sandbox can pay. UDP Service ports are not proxied.
 *
 * <p>{@link #reconcile} takes the Services and pods of a controllers' turn: listeners and addresses
 * follow Services, endpoints follow pods' readiness.
 */
public final class ServiceProxy implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);
  private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

  private final NodeNetwork network;
  private ClusterDns dns;
  private final ExecutorService connections;
  private final Map<String, Listener> listeners = new HashMap<>();
  private final Set<String> addresses = new LinkedHashSet<>();
  private final Set<String> reported = new HashSet<>();
  private volatile boolean closed;

  private ServiceProxy(NodeNetwork network) {
    this.network = network;
    this.connections =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "sandbox-service-proxy");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts the cluster DNS on {@link NodeNetwork#GATEWAY}:53 inside the node when the bridge has
   * that address (else at a later {@link #reconcile}: CNI's bridge plugin may create it with the
   * first pod); Services get their listeners at the first {@link #reconcile}.
   */
  public static ServiceProxy start(NodeNetwork network) {
    ServiceProxy proxy = new ServiceProxy(network);
    synchronized (proxy) {
      proxy.startDns();
    }
    return proxy;
  }

  /** Whether the cluster DNS listens (it may wait for the bridge's address). */
  public synchronized boolean dnsListening() {
    return dns != null;
  }

  private void startDns() {
    if (dns != null) {
      return;
    }
    try {
      dns = ClusterDns.start(network, NodeNetwork.GATEWAY);
      reported.remove("dns");
    } catch (IOException e) {
      if (reported.add("dns")) {
        LOG.info("The cluster DNS waits for the node's bridge: {}", e.getMessage());
      }
    }
  }

  /** {@link #reconcile(List, List)} with a turn's Services and pods. */
  public void reconcile(ClusterState state) {
    reconcile(state.services(), state.pods());
  }

  /**
   * Makes the node serve {@code services} with the ready ones among {@code pods}: addresses and
   * listeners for new ClusterIP ports, none for gone ones, endpoints as pods are ready, DNS names.
   * Never throws; what cannot be done is logged once and tried again at the next call.
   */
  public synchronized void reconcile(List<Service> services, List<Pod> pods) {
    if (closed) {
      return;
    }
    ServiceRoutes routes = ServiceRoutes.of(services, pods);
    startDns();
    if (dns != null) {
      dns.names(routes.names());
    }
    Map<String, ServiceRoutes.Route> wanted = new HashMap<>();
    for (ServiceRoutes.Route route : routes.routes()) {
      wanted.put(route.clusterIp() + ":" + route.port(), route);
    }
    for (String key : List.copyOf(listeners.keySet())) {
      if (!wanted.containsKey(key)) {
        listeners.remove(key).close();
        LOG.info("Service port {} closed", key);
      }
    }
    Set<String> ips = new HashSet<>();
    wanted.values().forEach(r -> ips.add(r.clusterIp()));
    for (String ip : List.copyOf(addresses)) {
      if (!ips.contains(ip)) {
        command("del", ip);
        addresses.remove(ip);
      }
    }
    for (Map.Entry<String, ServiceRoutes.Route> entry : wanted.entrySet()) {
      ServiceRoutes.Route route = entry.getValue();
      Listener listener = listeners.get(entry.getKey());
      if (listener == null) {
        listener = listen(route);
        if (listener == null) {
          continue;
        }
        listeners.put(entry.getKey(), listener);
      }
      listener.endpoints = route.endpoints();
    }
  }

  private Listener listen(ServiceRoutes.Route route) {
    String key = route.clusterIp() + ":" + route.port();
    if (!addresses.contains(route.clusterIp())) {
      int exit = command("add", route.clusterIp());
      if (exit != 0 && exit != 2) { // 2: the address is there already
        once(key, "Service " + route.service() + ": `ip addr add` exited " + exit);
        return null;
      }
      addresses.add(route.clusterIp());
    }
    try {
      InetSocketAddress address = new InetSocketAddress(route.clusterIp(), route.port());
      ServerSocketChannel server =
          network.inNode(
              () -> {
                ServerSocketChannel s = ServerSocketChannel.open();
                try {
                  s.bind(address, 64);
                  return s;
                } catch (IOException e) {
                  s.close();
                  throw e;
                }
              });
      Listener listener = new Listener(route.service(), key, server);
      listener.start();
      reported.remove(key);
      LOG.info("Service {} on {} in the node", route.service(), key);
      return listener;
    } catch (IOException e) {
      once(key, "Service " + route.service() + " cannot listen on " + key + ": " + e.getMessage());
      return null;
    }
  }

  private void once(String key, String message) {
    if (reported.add(key)) {
      LOG.warn("{}; trying again as the cluster changes", message);
    }
  }

  private int command(String verb, String ip) {
    try {
      return network.run(List.of("ip", "addr", verb, ip + "/32", "dev", "lo"), COMMAND_TIMEOUT);
    } catch (IOException e) {
      LOG.warn("ip addr {} {} in the node failed: {}", verb, ip, e.getMessage());
      return -1;
    }
  }

  /** One ClusterIP port: accepts in the node, relays each connection to an endpoint. */
  private final class Listener {
    final String service;
    final String key;
    final ServerSocketChannel server;
    final AtomicInteger next = new AtomicInteger();
    final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    volatile List<ServiceRoutes.Endpoint> endpoints = List.of();

    Listener(String service, String key, ServerSocketChannel server) {
      this.service = service;
      this.key = key;
      this.server = server;
    }

    void start() {
      Thread accept = new Thread(this::accept, "sandbox-service " + key);
      accept.setDaemon(true);
      accept.start();
    }

    private void accept() {
      while (server.isOpen()) {
        SocketChannel client;
        try {
          client = server.accept();
        } catch (IOException e) {
          return; // closed
        }
        open.add(client);
        try {
          connections.execute(() -> relay(client));
        } catch (java.util.concurrent.RejectedExecutionException e) {
          closeQuietly(client);
        }
      }
    }

    private void relay(SocketChannel client) {
      List<ServiceRoutes.Endpoint> current = endpoints;
      SocketChannel backend = null;
      for (int i = 0; i < current.size() && backend == null; i++) {
        ServiceRoutes.Endpoint endpoint =
            current.get(Math.floorMod(next.getAndIncrement(), current.size()));
        try {
          backend =
              network.connect(new InetSocketAddress(endpoint.ip(), endpoint.port()), DIAL_TIMEOUT);
        } catch (IOException e) {
          LOG.debug("Service {}: endpoint {} refused: {}", service, endpoint, e.getMessage());
        }
      }
      if (backend == null) {
        LOG.debug("Service {}: no ready endpoint for a connection to {}", service, key);
        open.remove(client);
        closeQuietly(client);
        return;
      }
      open.add(backend);
      SocketChannel target = backend;
      try {
        connections.execute(() -> copy(target, client));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        closeQuietly(target);
        closeQuietly(client);
        return;
      }
      copy(client, target);
    }

    /**
     * Bytes from {@code from} to {@code to}; at the end, half-closes {@code to} (or closes both).
     */
    private void copy(SocketChannel from, SocketChannel to) {
      try {
        ChannelCopy.copy(from, to, 16 * 1024);
        if (!from.isOpen() || from.socket().isOutputShutdown()) {
          finish(from, to);
        }
      } catch (IOException e) {
        finish(from, to);
      }
    }

    private void finish(SocketChannel a, SocketChannel b) {
      closeQuietly(a);
      closeQuietly(b);
      open.remove(a);
      open.remove(b);
    }

    void close() {
      closeQuietly(server);
      for (SocketChannel channel : open) {
        closeQuietly(channel);
      }
      open.clear();
    }
  }

  private static void closeQuietly(java.nio.channels.Channel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing a Service connection", e);
    }
  }

  /** Closes every listener and connection and the DNS, and removes the ClusterIPs from the node. */
  @Override
  public synchronized void close() {
    closed = true;
    listeners.values().forEach(Listener::close);
    listeners.clear();
    for (String ip : addresses) {
      command("del", ip);
    }
    addresses.clear();
    if (dns != null) {
      dns.close();
    }
    connections.shutdownNow();
  }
}
