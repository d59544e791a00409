package dev.grove.actions.deploy.container;

import static dev.grove.actions.kube.Yamls.at;
import static dev.grove.actions.kube.Yamls.listAt;
import static dev.grove.actions.kube.Yamls.mapAt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.actions.deploy.container.ContainerManifests.Target;
import dev.grove.actions.kube.Yamls;
import dev.grove.actions.spi.ActionException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContainerManifestsTest {

  private static final String IMAGE = "registry.example.com/shop/web:v-5843d8420a";
  private static final String VERSION = "v-0acc87bf52";
  private static final Target DEV =
      new Target("shop-dev", List.of(), Optional.empty(), Optional.empty(), false);
  private static final String CONTAINER = "spec.template.spec.containers[0]";
  private static final String HTTP =
      "ports: [{name: http, containerPort: 3000, servicePort: 80}]\n";

  private static List<Map<String, Object>> generate(String yaml, Target target)
      throws ActionException {
    ContainerDeploySpec spec =
        ContainerDeploySpec.parse(Yamls.map(yaml), "deploy.web", Path.of("/projects/shop/web"));
    return ContainerManifests.generate("web", VERSION, spec, IMAGE, target);
  }

  private static List<Map<String, Object>> generate(String yaml) throws ActionException {
    return generate(yaml, DEV);
  }

  private static Map<String, Object> workload(String yaml) throws ActionException {
    return generate(yaml).get(0);
  }

  private static Map<String, Object> container(String yaml) throws ActionException {
    return mapAt(workload(yaml), CONTAINER);
  }

  private static Map<String, Object> ofKind(List<Map<String, Object>> objects, String kind) {
    return objects.stream()
        .filter(object -> kind.equals(object.get("kind")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " in " + objects));
  }

  @Test
  void aSmallSpecGivesTheReferenceShapeWithGrovesKeys() throws Exception {
    ContainerDeploySpec spec =
        ContainerDeploySpec.parse(
            Yamls.map(
                """
                replicas: 2
                env: {API_URL: "http://api:8080"}
                ports: [{name: http, containerPort: 3000, servicePort: 80}]
                """),
            "deploy.web",
            Path.of("/projects/shop/web"));

    List<Map<String, Object>> generated =
        ContainerManifests.generate(
            "web",
            VERSION,
            spec,
            "europe-west1-docker.pkg.dev/my-project/my-repo/web:v-5843d8420a",
            new Target(
                "shop-dev",
                List.of("my-registry-secret"),
                Optional.empty(),
                Optional.empty(),
                false));

    List<Object> expected = Yamls.resource("/deploy/container/web-manifests.yaml");
    assertThat(generated).isEqualTo(expected);
    assertThat(generated).as("the same keys in the same order").hasToString(expected.toString());
  }

  @Test
  void everyObjectHasTheNamespaceTheLabelsAndTheVersion() throws Exception {
    List<Map<String, Object>> objects = generate(HTTP + "ingresses: [{port: http, hostname: a}]");

    assertThat(objects)
        .extracting(object -> object.get("kind"))
        .containsExactly("Deployment", "Service", "Ingress");
    for (Map<String, Object> object : objects) {
      assertThat(at(object, "metadata.namespace")).isEqualTo("shop-dev");
      assertThat(mapAt(object, "metadata.labels"))
          .containsExactly(
              Map.entry("app.kubernetes.io/name", "web"),
              Map.entry("app.kubernetes.io/managed-by", "grove"),
              Map.entry("grove.dev/action", "deploy.web"));
      assertThat(mapAt(object, "metadata.annotations")).containsEntry("grove.dev/version", VERSION);
    }
    assertThat(mapAt(objects.get(0), "spec.selector.matchLabels"))
        .containsExactly(Map.entry("grove.dev/action", "deploy.web"));
    assertThat(mapAt(objects.get(0), "spec.template.metadata.labels"))
        .isEqualTo(mapAt(objects.get(0), "metadata.labels"));
    assertThat(mapAt(objects.get(1), "spec.selector"))
        .containsExactly(Map.entry("grove.dev/action", "deploy.web"));
  }

  @Test
  void theContainerRunsTheImageGiven() throws Exception {
    Map<String, Object> container = container("image: nginx:1.27");

    assertThat(container).containsEntry("name", "web").containsEntry("image", IMAGE);
    assertThat(container).containsEntry("imagePullPolicy", "IfNotPresent");
    assertThat(mapAt(workload(""), "spec.template.metadata.annotations"))
        .containsExactly(Map.entry("kubectl.kubernetes.io/default-container", "web"));
  }

  @Test
  void commandAndArgsAreSetOnlyWhenGiven() throws Exception {
    assertThat(container("command: [node, server.js]\nargs: [--port, 3000]"))
        .containsEntry("command", List.of("node", "server.js"))
        .containsEntry("args", List.of("--port", "3000"));
    assertThat(container("")).doesNotContainKeys("command", "args");
  }

  @Test
  void envHasTheVersionVariablesThenTheSpecsThenThePodFields() throws Exception {
    List<Object> env =
        listAt(
            workload("env: {API_URL: http://api, TOKEN: {secretRef: {name: api, key: token}}}"),
            CONTAINER + ".env");

    assertThat(env)
        .extracting(variable -> (Object) ((Map<?, ?>) variable).get("name"))
        .containsExactly(
            "GROVE_ACTION_VERSION",
            "GARDEN_ACTION_VERSION",
            "GARDEN_MODULE_VERSION",
            "API_URL",
            "TOKEN",
            "POD_HOST_IP",
            "POD_IP",
            "POD_NAME",
            "POD_NAMESPACE",
            "POD_NODE_NAME",
            "POD_SERVICE_ACCOUNT",
            "POD_UID");
    assertThat(env.get(0)).isEqualTo(Map.of("name", "GROVE_ACTION_VERSION", "value", VERSION));
    assertThat(env.get(3)).isEqualTo(Map.of("name", "API_URL", "value", "http://api"));
    assertThat(env.get(4))
        .isEqualTo(
            Map.of(
                "name",
                "TOKEN",
                "valueFrom",
                Map.of("secretKeyRef", Map.of("name", "api", "key", "token"))));
    assertThat(env.get(7))
        .isEqualTo(
            Map.of(
                "name",
                "POD_NAME",
                "valueFrom",
                Map.of("fieldRef", Map.of("fieldPath", "metadata.name"))));
  }

  @Test
  void portsBecomeContainerPortsAndAClusterIpService() throws Exception {
    List<Map<String, Object>> objects =
        generate(
            "ports: [{name: http, containerPort: 3000, servicePort: 80},"
                + " {name: dns, protocol: UDP, containerPort: 53}]");

    assertThat(listAt(objects.get(0), CONTAINER + ".ports"))
        .containsExactly(
            Map.of("name", "http", "protocol", "TCP", "containerPort", 3000),
            Map.of("name", "dns", "protocol", "UDP", "containerPort", 53));
    Map<String, Object> service = ofKind(objects, "Service");
    assertThat(at(service, "metadata.name")).isEqualTo("web");
    assertThat(at(service, "spec.type")).isEqualTo("ClusterIP");
    assertThat(listAt(service, "spec.ports"))
        .containsExactly(
            Map.of("name", "http", "protocol", "TCP", "port", 80, "targetPort", 3000),
            Map.of("name", "dns", "protocol", "UDP", "port", 53, "targetPort", 53));
  }

  @Test
  void withoutPortsThereIsNoServiceAndNoContainerPorts() throws Exception {
    List<Map<String, Object>> objects = generate("");

    assertThat(objects).hasSize(1);
    assertThat(mapAt(objects.get(0), CONTAINER)).doesNotContainKey("ports");
  }

  @Test
  void aNodePortMakesANodePortService() throws Exception {
    Map<String, Object> service =
        generate(
                "ports: [{name: http, containerPort: 3000, nodePort: 30080},"
                    + " {name: admin, containerPort: 9000, nodePort: true},"
                    + " {name: metrics, containerPort: 9100}]")
            .get(1);

    assertThat(at(service, "spec.type")).isEqualTo("NodePort");
    assertThat(listAt(service, "spec.ports"))
        .containsExactly(
            Map.of(
                "name",
                "http",
                "protocol",
                "TCP",
                "port",
                3000,
                "targetPort",
                3000,
                "nodePort",
                30080),
            Map.of("name", "admin", "protocol", "TCP", "port", 9000, "targetPort", 9000),
            Map.of("name", "metrics", "protocol", "TCP", "port", 9100, "targetPort", 9100));
    assertThat(
            at(
                generate("ports: [{name: http, containerPort: 1, nodePort: true}]").get(1),
                "spec.type"))
        .isEqualTo("NodePort");
  }

  @Test
  void replicasAreTheSpecsElseOneElseThreeInProduction() throws Exception {
    Target production = new Target("shop", List.of(), Optional.empty(), Optional.empty(), true);

    assertThat(at(workload("replicas: 2"), "spec.replicas")).isEqualTo(2);
    assertThat(at(workload(""), "spec.replicas")).isEqualTo(1);
    assertThat(at(generate("", production).get(0), "spec.replicas")).isEqualTo(3);
    assertThat(at(generate("replicas: 2", production).get(0), "spec.replicas")).isEqualTo(2);
  }

  @Test
  void productionSpreadsPodsOverNodesRunsThemAsAUserAndKeepsMoreRevisions() throws Exception {
    Map<String, Object> workload =
        generate("", new Target("shop", List.of(), Optional.empty(), Optional.empty(), true))
            .get(0);

    assertThat(at(workload, "spec.revisionHistoryLimit")).isEqualTo(10);
    assertThat(
            at(
                workload,
                "spec.template.spec.affinity.podAntiAffinity"
                    + ".preferredDuringSchedulingIgnoredDuringExecution[0]"))
        .isEqualTo(
            Map.of(
                "weight",
                100,
                "podAffinityTerm",
                Map.of(
                    "labelSelector",
                    Map.of(
                        "matchExpressions",
                        List.of(
                            Map.of(
                                "key",
                                "grove.dev/action",
                                "operator",
                                "In",
                                "values",
                                List.of("deploy.web")))),
                    "topologyKey",
                    "kubernetes.io/hostname")));
    assertThat(mapAt(workload, "spec.template.spec.securityContext"))
        .isEqualTo(Map.of("runAsUser", 1000, "runAsGroup", 3000, "fsGroup", 2000));
    assertThat(mapAt(workload(""), "spec.template.spec"))
        .doesNotContainKeys("affinity", "securityContext");
  }

  @Test
  void anHttpHealthCheckProbesTheNamedPortAsGardenTimesIt() throws Exception {
    Map<String, Object> container =
        container(HTTP + "healthCheck: {httpGet: {path: /health, port: http}}");

    Map<String, Object> httpGet = Map.of("path", "/health", "port", 3000, "scheme", "HTTP");
    assertThat(container.get("readinessProbe"))
        .isEqualTo(
            Map.of(
                "initialDelaySeconds", 2,
                "periodSeconds", 1,
                "timeoutSeconds", 3,
                "successThreshold", 2,
                "failureThreshold", 90,
                "httpGet", httpGet));
    assertThat(container.get("livenessProbe"))
        .isEqualTo(
            Map.of(
                "initialDelaySeconds", 90,
                "periodSeconds", 5,
                "timeoutSeconds", 3,
                "successThreshold", 1,
                "failureThreshold", 3,
                "httpGet", httpGet));
  }

  @Test
  void aCommandHealthCheckExecsItWithTheGivenTimeouts() throws Exception {
    Map<String, Object> container =
        container(
            "healthCheck: {command: [pg_isready, -q], readinessTimeoutSeconds: 5,"
                + " livenessTimeoutSeconds: 10}");

    assertThat(at(container, "readinessProbe.exec"))
        .isEqualTo(Map.of("command", List.of("pg_isready", "-q")));
    assertThat(at(container, "livenessProbe.exec"))
        .isEqualTo(Map.of("command", List.of("pg_isready", "-q")));
    assertThat(at(container, "readinessProbe.timeoutSeconds")).isEqualTo(5);
    assertThat(at(container, "livenessProbe.timeoutSeconds")).isEqualTo(10);
  }

  @Test
  void aTcpHealthCheckOpensTheNamedPort() throws Exception {
    Map<String, Object> container = container(HTTP + "healthCheck: {tcpPort: http}");

    assertThat(at(container, "readinessProbe.tcpSocket")).isEqualTo(Map.of("port", 3000));
    assertThat(at(container, "livenessProbe.tcpSocket")).isEqualTo(Map.of("port", 3000));
    assertThat(container("")).doesNotContainKeys("readinessProbe", "livenessProbe");
  }

  @Test
  void cpuIsInMillicpusAndNullMaxMeansNoLimit() throws Exception {
    assertThat(at(container("cpu: {min: 250, max: 2000}"), "resources"))
        .isEqualTo(
            Map.of(
                "requests", Map.of("cpu", "250m", "memory", "90Mi"),
                "limits", Map.of("memory", "1Gi", "cpu", "2")));
    assertThat(at(container("cpu: {max: null}"), "resources.limits"))
        .isEqualTo(Map.of("memory", "1Gi"));
  }

  @Test
  void memoryIsInMegabytesAndWithoutAnyMaxThereAreNoLimits() throws Exception {
    assertThat(at(container("memory: {min: 512, max: 1536}"), "resources"))
        .isEqualTo(
            Map.of(
                "requests", Map.of("cpu", "10m", "memory", "512Mi"),
                "limits", Map.of("memory", "1536Mi", "cpu", "1")));
    assertThat(at(container("memory: {max: 2048}"), "resources.limits.memory")).isEqualTo("2Gi");
    assertThat(mapAt(container("memory: {max: null}\ncpu: {max: null}"), "resources"))
        .containsOnlyKeys("requests");
  }

  @Test
  void anIngressRoutesItsHostAndPathToTheServicePortOfTheNamedPort() throws Exception {
    Map<String, Object> ingress =
        generate(
                HTTP
                    + "ingresses: [{path: /api, port: http, hostname: shop.example.com,"
                    + " annotations: {nginx.ingress.kubernetes.io/proxy-body-size: \"0\"}}]",
                new Target("shop-dev", List.of(), Optional.of("nginx"), Optional.empty(), false))
            .get(2);

    assertThat(ingress).containsEntry("apiVersion", "networking.k8s.io/v1");
    assertThat(at(ingress, "metadata.name")).isEqualTo("web-0");
    assertThat(mapAt(ingress, "metadata.annotations"))
        .containsExactly(
            Map.entry("ingress.kubernetes.io/force-ssl-redirect", "false"),
            Map.entry("nginx.ingress.kubernetes.io/proxy-body-size", "0"),
            Map.entry("grove.dev/version", VERSION));
    assertThat(at(ingress, "spec"))
        .isEqualTo(
            Map.of(
                "ingressClassName",
                "nginx",
                "rules",
                List.of(
                    Map.of(
                        "host",
                        "shop.example.com",
                        "http",
                        Map.of(
                            "paths",
                            List.of(
                                Map.of(
                                    "path",
                                    "/api",
                                    "pathType",
                                    "Prefix",
                                    "backend",
                                    Map.of(
                                        "service",
                                        Map.of("name", "web", "port", Map.of("number", 80))))))))));
  }

  @Test
  void ingressesWithoutHostnameUseTheDefaultHostnameAndAreNumbered() throws Exception {
    List<Map<String, Object>> objects =
        generate(
            HTTP + "ingresses: [{port: http}, {port: http, path: /admin, hostname: admin.local}]",
            new Target("shop-dev", List.of(), Optional.empty(), Optional.of("shop.local"), false));

    assertThat(objects)
        .extracting(o -> at(o, "metadata.name"))
        .containsExactly("web", "web", "web-0", "web-1");
    assertThat(at(objects.get(2), "spec.rules[0].host")).isEqualTo("shop.local");
    assertThat(at(objects.get(2), "spec.rules[0].http.paths[0].path")).isEqualTo("/");
    assertThat(at(objects.get(3), "spec.rules[0].host")).isEqualTo("admin.local");
    assertThat(mapAt(objects.get(2), "spec")).doesNotContainKey("ingressClassName");
  }

  @Test
  void anIngressWithoutAnyHostnameIsFoundAndRenderedForAnyHost() throws Exception {
    List<Map<String, Object>> objects = generate(HTTP + "ingresses: [{port: http}]");

    assertThat(at(objects.get(2), "spec.rules[0].http.paths[0].path")).isEqualTo("/");
    assertThat(mapAt(objects.get(2), "spec.rules[0]")).doesNotContainKey("host");
    assertThat(
            ContainerManifests.ingressesWithoutHost(
                ContainerDeploySpec.parse(
                    Yamls.map(HTTP + "ingresses: [{port: http}]"),
                    "deploy.web",
                    Path.of("/projects/shop/web")),
                DEV))
        .containsExactly(0);
  }

  @Test
  void annotationsGoOnThePodsAndTheServiceButNotTheDeployment() throws Exception {
    List<Map<String, Object>> objects =
        generate(HTTP + "annotations: {prometheus.io/scrape: \"true\"}");

    assertThat(mapAt(objects.get(0), "spec.template.metadata.annotations"))
        .containsExactly(
            Map.entry("prometheus.io/scrape", "true"),
            Map.entry("kubectl.kubernetes.io/default-container", "web"));
    assertThat(mapAt(objects.get(1), "metadata.annotations"))
        .containsExactly(
            Map.entry("prometheus.io/scrape", "true"), Map.entry("grove.dev/version", VERSION));
    assertThat(mapAt(objects.get(0), "metadata.annotations"))
        .containsExactly(Map.entry("grove.dev/version", VERSION));
  }

  @Test
  void aDaemonIsADaemonSetThatMayBindHostPorts() throws Exception {
    Map<String, Object> daemonSet =
        workload(
            "daemon: true\nports: [{name: dns, protocol: UDP, containerPort: 53, hostPort: 53}]");

    assertThat(daemonSet).containsEntry("kind", "DaemonSet").containsEntry("apiVersion", "apps/v1");
    assertThat(mapAt(daemonSet, "spec"))
        .containsEntry("updateStrategy", Map.of("type", "RollingUpdate"))
        .doesNotContainKeys("replicas", "strategy", "revisionHistoryLimit");
    assertThat(listAt(daemonSet, CONTAINER + ".ports"))
        .containsExactly(
            Map.of("name", "dns", "protocol", "UDP", "containerPort", 53),
            Map.of("protocol", "UDP", "containerPort", 53, "hostPort", 53));
    assertThat(
            listAt(
                workload("ports: [{name: dns, containerPort: 53, hostPort: 53}]"),
                CONTAINER + ".ports"))
        .hasSize(1);
  }

  @Test
  void aDeploymentRollsOneAtATimeUnlessItRecreates() throws Exception {
    assertThat(at(workload(""), "spec.strategy"))
        .isEqualTo(
            Map.of(
                "type",
                "RollingUpdate",
                "rollingUpdate",
                Map.of("maxUnavailable", 1, "maxSurge", 1)));
    assertThat(at(workload("deploymentStrategy: Recreate"), "spec.strategy"))
        .isEqualTo(Map.of("type", "Recreate"));
    assertThat(at(workload(""), "spec.revisionHistoryLimit")).isEqualTo(3);
  }

  @Test
  void volumesAreEmptyDirectoriesOrHostPathsMountedInTheContainer() throws Exception {
    Map<String, Object> workload =
        workload(
            "volumes: [{name: cache, containerPath: /cache},"
                + " {name: data, containerPath: /data, hostPath: data}]");

    assertThat(at(workload, "spec.template.spec.volumes"))
        .isEqualTo(
            List.of(
                Map.of("name", "cache", "emptyDir", Map.of()),
                Map.of("name", "data", "hostPath", Map.of("path", "/projects/shop/web/data"))));
    assertThat(at(workload, CONTAINER + ".volumeMounts"))
        .isEqualTo(
            List.of(
                Map.of("name", "cache", "mountPath", "/cache"),
                Map.of("name", "data", "mountPath", "/data")));
    assertThat(mapAt(workload(""), "spec.template.spec")).doesNotContainKey("volumes");
    assertThat(container("")).doesNotContainKey("volumeMounts");
  }

  @Test
  void privilegedRunsPrivilegedAndAllowsEscalation() throws Exception {
    assertThat(at(container("privileged: true"), "securityContext"))
        .isEqualTo(Map.of("allowPrivilegeEscalation", true, "privileged", true));
    assertThat(at(container(""), "securityContext"))
        .isEqualTo(Map.of("allowPrivilegeEscalation", false));
  }

  @Test
  void capabilitiesAreAddedAndDropped() throws Exception {
    assertThat(
            at(
                container("addCapabilities: [NET_ADMIN]\ndropCapabilities: [ALL]"),
                "securityContext"))
        .isEqualTo(
            Map.of(
                "allowPrivilegeEscalation",
                false,
                "capabilities",
                Map.of("add", List.of("NET_ADMIN"), "drop", List.of("ALL"))));
    assertThat(at(container("dropCapabilities: [ALL]"), "securityContext.capabilities"))
        .isEqualTo(Map.of("drop", List.of("ALL")));
  }

  @Test
  void ttyGivesTheContainerATtyAndStdin() throws Exception {
    assertThat(container("tty: true")).containsEntry("tty", true).containsEntry("stdin", true);
    assertThat(container("")).doesNotContainKeys("tty", "stdin");
  }

  @Test
  void pullSecretsAreThePodsImagePullSecrets() throws Exception {
    Map<String, Object> workload =
        generate(
                "",
                new Target(
                    "shop-dev", List.of("gcr", "ghcr"), Optional.empty(), Optional.empty(), false))
            .get(0);

    assertThat(at(workload, "spec.template.spec.imagePullSecrets"))
        .isEqualTo(List.of(Map.of("name", "gcr"), Map.of("name", "ghcr")));
    assertThat(mapAt(workload(""), "spec.template.spec")).doesNotContainKey("imagePullSecrets");
  }

  @Test
  void thePodSpecHasGardensFixedSettings() throws Exception {
    assertThat(mapAt(workload(""), "spec.template.spec"))
        .containsEntry("restartPolicy", "Always")
        .containsEntry("terminationGracePeriodSeconds", 5)
        .containsEntry("dnsPolicy", "ClusterFirst");
  }

  @Test
  void theSameInputGivesTheSameObjects() throws Exception {
    String yaml = HTTP + "env: {B: 1, A: 2}\ningresses: [{port: http, hostname: a}]";

    assertThat(generate(yaml)).isEqualTo(generate(yaml)).hasToString(generate(yaml).toString());
  }
}
