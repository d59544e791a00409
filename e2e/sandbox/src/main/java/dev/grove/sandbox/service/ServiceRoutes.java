package dev.grove.sandbox.service;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the cluster's Services mean on the node at one moment: for each ClusterIP port, the ready
 * pods' addresses behind it (the endpoints controller's and kube-proxy's view), and the DNS names
 * and their addresses (CoreDNS's view). Computed afresh from the Services and pods of a turn.
 */
record ServiceRoutes(List<Route> routes, Map<String, List<String>> names) {

  /** The DNS zone of services and pods. */
  static final String DOMAIN = "cluster.local";

  /** A Service's TCP port on its ClusterIP and the endpoints behind it. */
  record Route(String service, String clusterIp, int port, List<Endpoint> endpoints) {}

  /** A ready pod's address and the port the Service's targetPort names in it. */
  record Endpoint(String ip, int port) {}

  static ServiceRoutes of(List<Service> services, List<Pod> pods) {
    List<Route> routes = new ArrayList<>();
    Map<String, List<String>> names = new LinkedHashMap<>();
    for (Service service : services) {
      if (service.getMetadata() == null || service.getSpec() == null) {
        continue;
      }
      String namespace = service.getMetadata().getNamespace();
      String name = service.getMetadata().getName();
      String fqdn = name + "." + namespace + ".svc." + DOMAIN;
      List<Pod> ready = readyPods(service, pods);
      String clusterIp = service.getSpec().getClusterIP();
      if ("ExternalName".equals(service.getSpec().getType())) {
        continue;
      }
      if (clusterIp == null || clusterIp.isEmpty() || "None".equals(clusterIp)) {
        // headless: the name resolves to the ready pods themselves
        names.put(fqdn, ready.stream().map(p -> p.getStatus().getPodIP()).distinct().toList());
        continue;
      }
      names.put(fqdn, List.of(clusterIp));
      for (ServicePort port : Optional.ofNullable(service.getSpec().getPorts()).orElse(List.of())) {
        if (port.getPort() == null
            || (port.getProtocol() != null && !"TCP".equals(port.getProtocol()))) {
          continue;
        }
        List<Endpoint> endpoints = new ArrayList<>();
        for (Pod pod : ready) {
          targetPort(port, pod)
              .ifPresent(p -> endpoints.add(new Endpoint(pod.getStatus().getPodIP(), p)));
        }
        routes.add(
            new Route(namespace + "/" + name, clusterIp, port.getPort(), List.copyOf(endpoints)));
      }
    }
    return new ServiceRoutes(List.copyOf(routes), Map.copyOf(names));
  }

  /**
   * The pods the Service selects that can take traffic: in its namespace, labels matching its
   * selector, running with an address and Ready, not being deleted. A Service without a selector
   * has none (its Endpoints are the user's to write; the sandbox does not read them).
   */
  static List<Pod> readyPods(Service service, List<Pod> pods) {
    Map<String, String> selector = service.getSpec().getSelector();
    if (selector == null || selector.isEmpty()) {
      return List.of();
    }
    String namespace = service.getMetadata().getNamespace();
    List<Pod> ready = new ArrayList<>();
    for (Pod pod : pods) {
      if (!namespace.equals(pod.getMetadata().getNamespace())
          || pod.getMetadata().getDeletionTimestamp() != null
          || pod.getStatus() == null
          || pod.getStatus().getPodIP() == null
          || pod.getStatus().getPodIP().isEmpty()
          || !"Running".equals(pod.getStatus().getPhase())
          || !isReady(pod)) {
        continue;
      }
      Map<String, String> labels =
          Optional.ofNullable(pod.getMetadata().getLabels()).orElse(Map.of());
      if (selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
        ready.add(pod);
      }
    }
    return ready;
  }

  private static boolean isReady(Pod pod) {
    List<PodCondition> conditions =
        Optional.ofNullable(pod.getStatus().getConditions()).orElse(List.of());
    return conditions.stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * The pod's port for the Service's {@code targetPort}: a number as it is, a name looked up among
   * the pod's container ports (a pod without that name is no endpoint), absent = the port itself.
   */
  static Optional<Integer> targetPort(ServicePort port, Pod pod) {
    IntOrString target = port.getTargetPort();
    if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
      return Optional.of(port.getPort());
    }
    if (target.getIntVal() != null) {
      return Optional.of(target.getIntVal());
    }
    String named = target.getStrVal();
    try {
      return Optional.of(Integer.parseInt(named));
    } catch (NumberFormatException notANumber) {
      // a port name
    }
    for (Container container : pod.getSpec().getContainers()) {
      for (ContainerPort p : Optional.ofNullable(container.getPorts()).orElse(List.of())) {
        if (named.equals(p.getName())
            && (p.getProtocol() == null || "TCP".equals(p.getProtocol()))) {
          return Optional.of(p.getContainerPort());
        }
      }
    }
    return Optional.empty();
  }
}
