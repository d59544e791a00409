package dev.grove.sandbox.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What Services mean on the node: ClusterIP ports with the ready selected pods behind them (named
 * target ports looked up per pod), DNS names, headless Services as their pods.
 */
class ServiceRoutesTest {

  @Test
  void a_service_routes_to_its_ready_selected_pods_with_named_target_ports() {
    Service web = service("web", "shop", "10.96.0.12", 80, new IntOrString("http"));
    List<Pod> pods =
        List.of(
            pod("web-1", "shop", Map.of("app", "web"), "10.42.0.5", true, 8080),
            pod("web-2", "shop", Map.of("app", "web"), "10.42.0.6", false, 8080),
            pod("web-3", "other", Map.of("app", "web"), "10.42.0.7", true, 8080),
            pod("db-1", "shop", Map.of("app", "db"), "10.42.0.8", true, 8080));

    ServiceRoutes routes = ServiceRoutes.of(List.of(web), pods);

    assertThat(routes.routes())
        .containsExactly(
            new ServiceRoutes.Route(
                "shop/web",
                "10.96.0.12",
                80,
                List.of(new ServiceRoutes.Endpoint("10.42.0.5", 8080))));
    assertThat(routes.names()).containsEntry("web.shop.svc.cluster.local", List.of("10.96.0.12"));
  }

  @Test
  void a_numeric_or_absent_target_port_is_used_as_it_is() {
    Pod pod = pod("web-1", "shop", Map.of("app", "web"), "10.42.0.5", true, 8080);
    Service numbered = service("a", "shop", "10.96.0.2", 80, new IntOrString(9090));
    Service absent = service("b", "shop", "10.96.0.3", 81, null);
    numbered.getSpec().setSelector(Map.of("app", "web"));
    absent.getSpec().setSelector(Map.of("app", "web"));

    ServiceRoutes routes = ServiceRoutes.of(List.of(numbered, absent), List.of(pod));

    assertThat(routes.routes())
        .extracting(r -> r.endpoints().get(0).port())
        .containsExactly(9090, 81);
  }

  @Test
  void a_headless_service_is_a_name_for_its_ready_pods_without_a_route() {
    Service db = service("db", "shop", "None", 5432, null);
    Pod pod = pod("db-0", "shop", Map.of("app", "db"), "10.42.0.9", true, 5432);

    ServiceRoutes routes = ServiceRoutes.of(List.of(db), List.of(pod));

    assertThat(routes.routes()).isEmpty();
    assertThat(routes.names()).containsEntry("db.shop.svc.cluster.local", List.of("10.42.0.9"));
  }

  static Service service(
      String name, String namespace, String clusterIp, int port, IntOrString target) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withClusterIP(clusterIp)
        .withSelector(Map.of("app", name))
        .addNewPort()
        .withPort(port)
        .withTargetPort(target)
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }

  static Pod pod(
      String name,
      String namespace,
      Map<String, String> labels,
      String ip,
      boolean ready,
      int httpPort) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("busybox")
        .addNewPort()
        .withName("http")
        .withContainerPort(httpPort)
        .endPort()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withPodIP(ip)
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }
}
