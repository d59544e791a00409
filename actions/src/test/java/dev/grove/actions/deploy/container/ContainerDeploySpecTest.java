package dev.grove.actions.deploy.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.grove.actions.deploy.container.ContainerDeploySpec.DeploymentStrategy;
import dev.grove.actions.deploy.container.ContainerDeploySpec.EnvVar;
import dev.grove.actions.deploy.container.ContainerDeploySpec.HealthCheck;
import dev.grove.actions.deploy.container.ContainerDeploySpec.Ingress;
import dev.grove.actions.deploy.container.ContainerDeploySpec.Port;
import dev.grove.actions.deploy.container.ContainerDeploySpec.Probe;
import dev.grove.actions.deploy.container.ContainerDeploySpec.Resources;
import dev.grove.actions.deploy.container.ContainerDeploySpec.Volume;
import dev.grove.actions.kube.Yamls;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContainerDeploySpecTest {

  private static final Path SOURCE = Path.of("/projects/shop/web");

  static ContainerDeploySpec parse(String yaml) throws ActionException {
    return ContainerDeploySpec.parse(Yamls.map(yaml), "deploy.web", SOURCE);
  }

  private static ActionException failure(String yaml) {
    try {
      parse(yaml);
    } catch (ActionException e) {
      return e;
    }
    throw new AssertionError("expected an ActionException for " + yaml);
  }

  @Test
  void anEmptySpecHasGardensDefaults() throws Exception {
    ContainerDeploySpec spec = parse("");

    assertThat(spec.image()).isEmpty();
    assertThat(spec.command()).isEmpty();
    assertThat(spec.args()).isEmpty();
    assertThat(spec.env()).isEmpty();
    assertThat(spec.ports()).isEmpty();
    assertThat(spec.replicas()).isEmpty();
    assertThat(spec.healthCheck()).isEmpty();
    assertThat(spec.cpu()).isEqualTo(new Resources(10, OptionalInt.of(1000)));
    assertThat(spec.memory()).isEqualTo(new Resources(90, OptionalInt.of(1024)));
    assertThat(spec.ingresses()).isEmpty();
    assertThat(spec.annotations()).isEmpty();
    assertThat(spec.daemon()).isFalse();
    assertThat(spec.deploymentStrategy()).isEqualTo(DeploymentStrategy.ROLLING_UPDATE);
    assertThat(spec.volumes()).isEmpty();
    assertThat(spec.privileged()).isFalse();
    assertThat(spec.addCapabilities()).isEmpty();
    assertThat(spec.dropCapabilities()).isEmpty();
    assertThat(spec.tty()).isFalse();
    assertThat(spec.timeout()).isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void everyFieldIsRead() throws Exception {
    ContainerDeploySpec spec =
        parse(
            """
            image: nginx:1.27
            command: [node]
            args: [server.js, --port, 8080]
            replicas: 2
            annotations: {prometheus.io/scrape: "true", prometheus.io/port: 9090}
            daemon: false
            deploymentStrategy: Recreate
            privileged: true
            addCapabilities: [NET_ADMIN]
            dropCapabilities: [ALL]
            tty: true
            timeout: 120
            """);

    assertThat(spec.image()).contains("nginx:1.27");
    assertThat(spec.command()).containsExactly("node");
    assertThat(spec.args()).containsExactly("server.js", "--port", "8080");
    assertThat(spec.replicas()).hasValue(2);
    assertThat(spec.annotations())
        .containsExactly(
            Map.entry("prometheus.io/scrape", "true"), Map.entry("prometheus.io/port", "9090"));
    assertThat(spec.deploymentStrategy()).isEqualTo(DeploymentStrategy.RECREATE);
    assertThat(spec.privileged()).isTrue();
    assertThat(spec.addCapabilities()).containsExactly("NET_ADMIN");
    assertThat(spec.dropCapabilities()).containsExactly("ALL");
    assertThat(spec.tty()).isTrue();
    assertThat(spec.timeout()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void envKeepsItsOrderAndReadsSecretRefs() throws Exception {
    ContainerDeploySpec spec =
        parse(
            """
            env:
              API_URL: http://api:8080
              WORKERS: 4
              DEBUG: false
              EMPTY: null
              DB_PASSWORD: {secretRef: {name: db, key: password}}
            """);

    assertThat(spec.env())
        .containsExactly(
            new EnvVar.Literal("API_URL", "http://api:8080"),
            new EnvVar.Literal("WORKERS", "4"),
            new EnvVar.Literal("DEBUG", "false"),
            new EnvVar.Literal("EMPTY", "null"),
            new EnvVar.FromSecret("DB_PASSWORD", "db", "password"));
  }

  @Test
  void portsDefaultToTcpAndTheirContainerPortOnTheService() throws Exception {
    ContainerDeploySpec spec =
        parse(
            """
            ports:
              - {name: http, containerPort: 8080}
              - {name: dns, protocol: UDP, containerPort: 53, servicePort: 5353, hostPort: 53}
              - {name: admin, containerPort: 9000, nodePort: true}
              - {name: metrics, containerPort: "9100", nodePort: 30100}
            """);

    assertThat(spec.ports())
        .containsExactly(
            new Port("http", "TCP", 8080, 8080, false, OptionalInt.empty(), OptionalInt.empty()),
            new Port("dns", "UDP", 53, 5353, false, OptionalInt.empty(), OptionalInt.of(53)),
            new Port("admin", "TCP", 9000, 9000, true, OptionalInt.empty(), OptionalInt.empty()),
            new Port(
                "metrics", "TCP", 9100, 9100, true, OptionalInt.of(30100), OptionalInt.empty()));
  }

  @Test
  void replicasAreOneOrThreeInProductionUnlessGiven() throws Exception {
    assertThat(parse("").replicas(false)).isEqualTo(1);
    assertThat(parse("").replicas(true)).isEqualTo(3);
    assertThat(parse("replicas: 2").replicas(true)).isEqualTo(2);
    assertThat(parse("replicas: 0").replicas(true)).isZero();
  }

  @Test
  void healthChecksResolvePortNamesToContainerPorts() throws Exception {
    String ports = "ports: [{name: http, containerPort: 8080, servicePort: 80}]\n";

    assertThat(parse(ports + "healthCheck: {httpGet: {path: /health, port: http}}").healthCheck())
        .contains(new HealthCheck(new Probe.HttpGet("/health", 8080, "HTTP"), 3, 3));
    assertThat(
            parse(
                    ports
                        + "healthCheck: {httpGet: {path: /, port: 9000, scheme: HTTPS},"
                        + " readinessTimeoutSeconds: 5, livenessTimeoutSeconds: 7}")
                .healthCheck())
        .contains(new HealthCheck(new Probe.HttpGet("/", 9000, "HTTPS"), 5, 7));
    assertThat(parse(ports + "healthCheck: {command: [pg_isready, -q]}").healthCheck())
        .contains(new HealthCheck(new Probe.Exec(List.of("pg_isready", "-q")), 3, 3));
    assertThat(parse(ports + "healthCheck: {tcpPort: http}").healthCheck())
        .contains(new HealthCheck(new Probe.TcpSocket(8080), 3, 3));
  }

  @Test
  void cpuAndMemoryKeepGardensDefaultForWhatIsNotGivenAndNullMeansNoLimit() throws Exception {
    ContainerDeploySpec spec = parse("cpu: {min: 250}\nmemory: {min: 512, max: null}");

    assertThat(spec.cpu()).isEqualTo(new Resources(250, OptionalInt.of(1000)));
    assertThat(spec.memory()).isEqualTo(new Resources(512, OptionalInt.empty()));
    assertThat(parse("cpu: {max: 2000}").cpu()).isEqualTo(new Resources(10, OptionalInt.of(2000)));
  }

  @Test
  void ingressesDefaultToTheRootPathAndResolveTheirPortToTheServicePort() throws Exception {
    ContainerDeploySpec spec =
        parse(
            """
            ports: [{name: http, containerPort: 8080, servicePort: 80}]
            ingresses:
              - {port: http}
              - path: /api
                port: http
                hostname: api.example.com
                linkUrl: https://example.com/api
                annotations: {nginx.ingress.kubernetes.io/proxy-body-size: "0"}
            """);

    assertThat(spec.ingresses())
        .containsExactly(
            new Ingress("/", "http", 80, Optional.empty(), Map.of(), Optional.empty()),
            new Ingress(
                "/api",
                "http",
                80,
                Optional.of("api.example.com"),
                Map.of("nginx.ingress.kubernetes.io/proxy-body-size", "0"),
                Optional.of("https://example.com/api")));
  }

  @Test
  void volumesAreEmptyDirectoriesOrHostPathsResolvedAgainstTheSourceFolder() throws Exception {
    ContainerDeploySpec spec =
        parse(
            """
            volumes:
              - {name: cache, containerPath: /cache}
              - {name: data, containerPath: /data, hostPath: ../data}
              - {name: logs, containerPath: /logs, hostPath: /var/log}
            """);

    assertThat(spec.volumes())
        .containsExactly(
            new Volume("cache", "/cache", Optional.empty()),
            new Volume("data", "/data", Optional.of("/projects/shop/data")),
            new Volume("logs", "/logs", Optional.of("/var/log")));
  }

  @Test
  void flagsAndNumbersMayBeWrittenAsStrings() throws Exception {
    ContainerDeploySpec spec = parse("daemon: \"true\"\nreplicas: \"4\"\ntty: \"false\"");

    assertThat(spec.daemon()).isTrue();
    assertThat(spec.replicas()).hasValue(4);
    assertThat(spec.tty()).isFalse();
  }

  @Test
  void theImageIsTheBuildsWhenThereIsOneElseTheSpecs() throws Exception {
    ContainerDeploySpec spec = parse("image: nginx:1.27");

    assertThat(spec.imageId(Optional.of("registry/web:v-1"), "deploy.web"))
        .isEqualTo("registry/web:v-1");
    assertThat(spec.imageId(Optional.empty(), "deploy.web")).isEqualTo("nginx:1.27");
  }

  @Test
  void neitherABuildNorAnImageIsAnError() throws Exception {
    ContainerDeploySpec spec = parse("");
    ActionException e = null;
    try {
      spec.imageId(Optional.empty(), "deploy.web");
    } catch (ActionException thrown) {
      e = thrown;
    }

    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ActionCodes.INVALID_SPEC);
    assertThat(e.getMessage())
        .isEqualTo("deploy.web has neither a build nor spec.image; a container action needs one.");
    assertThat(e.suggestion()).contains("spec.image");
  }

  @Test
  void theSpecsCollectionsCannotBeChanged() throws Exception {
    Map<String, Object> raw = new LinkedHashMap<>(Yamls.map("command: [a]"));
    ContainerDeploySpec spec = ContainerDeploySpec.parse(raw, "deploy.web", SOURCE);

    assertThat(spec.command()).isUnmodifiable();
    assertThat(spec.annotations()).isUnmodifiable();
  }

  static Stream<Arguments> invalidSpecs() {
    String http = "ports: [{name: http, containerPort: 8080}]\n";
    return Stream.of(
        arguments("image: 3", "image", "is the integer 3; it must be a string"),
        arguments("command: node server.js", "command", "it must be a list"),
        arguments("args: [{a: b}]", "args[0]", "is a map; it must be a string"),
        arguments("env: [{name: A, value: b}]", "env", "not Kubernetes' list"),
        arguments("env: A=b", "env", "it must be a map"),
        arguments("env: {GARDEN_X: a}", "env.GARDEN_X", "do not start with GARDEN or GROVE"),
        arguments("env: {grove_x: a}", "env.grove_x", "do not start with GARDEN or GROVE"),
        arguments("env: {my-var: a}", "env.my-var", "is not a name Grove can set"),
        arguments("env: {1A: a}", "env.1A", "is not a name Grove can set"),
        arguments("env: {A: [1]}", "env.A", "a string, number, boolean or {secretRef"),
        arguments("env: {A: {value: b}}", "env.A.value", "is not a field Grove knows"),
        arguments("env: {A: {secretRef: {name: s}}}", "env.A.secretRef.key", "is missing"),
        arguments("env: {A: {secretRef: {key: k}}}", "env.A.secretRef.name", "is missing"),
        arguments(
            "env: {A: {secretRef: {name: s, key: k, optional: true}}}",
            "env.A.secretRef.optional",
            "is not a field Grove knows"),
        arguments("env: {A: {secretRef: s}}", "env.A.secretRef", "it must be a map"),
        arguments("ports: {name: http}", "ports", "it must be a list"),
        arguments("ports: [{containerPort: 80}]", "ports[0].name", "is missing"),
        arguments("ports: [{name: HTTP, containerPort: 80}]", "ports[0].name", "lower-case"),
        arguments(
            "ports: [{name: a-very-long-port-name, containerPort: 80}]",
            "ports[0].name",
            "at most 15 characters"),
        arguments(
            "ports: [{name: http, containerPort: 80}, {name: http, containerPort: 81}]",
            "ports[1].name",
            "repeats the port name \"http\""),
        arguments(
            "ports: [{name: http, protocol: SCTP, containerPort: 80}]",
            "ports[0].protocol",
            "it must be TCP or UDP"),
        arguments("ports: [{name: http}]", "ports[0].containerPort", "is missing"),
        arguments(
            "ports: [{name: http, containerPort: 70000}]",
            "ports[0].containerPort",
            "it must be a whole number from 1 to 65535"),
        arguments(
            "ports: [{name: http, containerPort: eighty}]",
            "ports[0].containerPort",
            "is the string \"eighty\""),
        arguments(
            "ports: [{name: http, containerPort: 80, servicePort: 8.5}]",
            "ports[0].servicePort",
            "a whole number"),
        arguments(
            "ports: [{name: http, containerPort: 80, nodePort: yes}]",
            "ports[0].nodePort",
            "is the string \"yes\""),
        arguments(
            "ports: [{name: http, containerPort: 80, hostPort: 0}]",
            "ports[0].hostPort",
            "from 1 to 65535"),
        arguments("replicas: -1", "replicas", "a whole number at least 0"),
        arguments("replicas: 1.5", "replicas", "a whole number at least 0"),
        arguments(http + "healthCheck: {}", "healthCheck", "has no check"),
        arguments(
            http + "healthCheck: {command: [true], tcpPort: http}",
            "healthCheck",
            "has more than one of httpGet, command and tcpPort"),
        arguments(
            http + "healthCheck: {httpGet: {port: http}}",
            "healthCheck.httpGet.path",
            "is missing"),
        arguments(
            http + "healthCheck: {httpGet: {path: /}}", "healthCheck.httpGet.port", "is missing"),
        arguments(
            http + "healthCheck: {httpGet: {path: /, port: web}}",
            "healthCheck.httpGet.port",
            "names the port \"web\", which spec.ports lacks"),
        arguments(
            http + "healthCheck: {httpGet: {path: /, port: http, scheme: FTP}}",
            "healthCheck.httpGet.scheme",
            "it must be HTTP or HTTPS"),
        arguments(
            http + "healthCheck: {tcpPort: [http]}",
            "healthCheck.tcpPort",
            "it must be a port name or number"),
        arguments(
            "healthCheck: {tcpPort: db}",
            "healthCheck.tcpPort",
            "names the port \"db\", which spec.ports lacks"),
        arguments(
            http + "healthCheck: {tcpPort: http, readinessTimeoutSeconds: 0}",
            "healthCheck.readinessTimeoutSeconds",
            "a whole number at least 1"),
        arguments(
            http + "healthCheck: {tcpPort: http, livenessTimeoutSeconds: x}",
            "healthCheck.livenessTimeoutSeconds",
            "a whole number at least 1"),
        arguments("cpu: 100", "cpu", "it must be a map"),
        arguments("cpu: {max: 5}", "cpu.max", "a whole number at least 10"),
        arguments("cpu: {min: -1}", "cpu.min", "a whole number at least 0"),
        arguments("cpu: {min: 2000, max: 1000}", "cpu", "has min 2000 above max 1000"),
        arguments("memory: {max: 32}", "memory.max", "a whole number at least 64"),
        arguments("memory: {min: 2048}", "memory", "has min 2048 above max 1024 (megabytes"),
        arguments("ingresses: {port: http}", "ingresses", "it must be a list"),
        arguments(
            http + "ingresses: [{path: api, port: http}]", "ingresses[0].path", "starts with /"),
        arguments(http + "ingresses: [{path: /}]", "ingresses[0].port", "is missing"),
        arguments(
            http + "ingresses: [{port: web}]",
            "ingresses[0].port",
            "names the port \"web\", which spec.ports lacks"),
        arguments(http + "ingresses: [{port: 8080}]", "ingresses[0].port", "the name of a port"),
        arguments(
            http + "ingresses: [{port: http, hostname: 3}]",
            "ingresses[0].hostname",
            "it must be a string"),
        arguments(
            http + "ingresses: [{port: http, annotations: {a: {b: c}}}]",
            "ingresses[0].annotations.a",
            "it must be a string"),
        arguments("annotations: {a: [b]}", "annotations.a", "it must be a string"),
        arguments("annotations: [a]", "annotations", "it must be a map"),
        arguments("daemon: yes", "daemon", "it must be true or false"),
        arguments(
            "deploymentStrategy: BlueGreen", "deploymentStrategy", "RollingUpdate or Recreate"),
        arguments(
            "volumes: [{name: data, containerPath: /data, action: deploy.db-volume}]",
            "volumes[0].action",
            "which Grove does not support yet"),
        arguments(
            "volumes: [{name: data, containerPath: /data, size: 1Gi}]",
            "volumes[0].size",
            "is not a field Grove knows"),
        arguments("volumes: [{containerPath: /data}]", "volumes[0].name", "is missing"),
        arguments("volumes: [{name: Data, containerPath: /data}]", "volumes[0].name", "lower-case"),
        arguments(
            "volumes: [{name: a, containerPath: /a}, {name: a, containerPath: /b}]",
            "volumes[1].name",
            "repeats the volume name \"a\""),
        arguments("volumes: [{name: data}]", "volumes[0].containerPath", "is missing"),
        arguments(
            "volumes: [{name: data, containerPath: data}]",
            "volumes[0].containerPath",
            "it must be an absolute path"),
        arguments("volumes: [data]", "volumes[0]", "it must be a map"),
        arguments("privileged: 1", "privileged", "it must be true or false"),
        arguments("addCapabilities: NET_ADMIN", "addCapabilities", "it must be a list"),
        arguments("dropCapabilities: [[ALL]]", "dropCapabilities[0]", "it must be a string"),
        arguments("tty: on", "tty", "it must be true or false"),
        arguments("timeout: 0", "timeout", "a positive number of seconds"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("invalidSpecs")
  void anInvalidValueIsAnErrorNamingTheActionAndTheProperty(
      String yaml, String property, String problem) {
    ActionException e = failure(yaml);

    assertThat(e.code()).isEqualTo(ActionCodes.INVALID_SPEC);
    assertThat(e.getMessage()).startsWith("deploy.web: spec." + property + " ").contains(problem);
    assertThat(e.suggestion()).isNotBlank();
  }
}
