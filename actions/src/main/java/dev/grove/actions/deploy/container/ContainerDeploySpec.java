package dev.grove.actions.deploy.container;

import dev.grove.actions.process.SpecReader;
import dev.grove.actions.process.SpecValues;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import dev.grove.api.value.ValueTrees;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The spec of a {@code Deploy/container} action, in Garden's shape and with Garden's defaults. Port
 * names that other fields refer to (health checks, ingresses) are resolved here, so a wrong name
 * fails when the spec is read.
 *
 * @param image the image to deploy when the action has no {@code build}
 * @param command the container's entrypoint; empty keeps the image's
 * @param args the container's arguments; empty keeps the image's
 * @param env the container's variables, in the order written
 * @param ports the ports the container listens on (the Service has one per port)
 * @param replicas the replicas asked for; see {@link #replicas(boolean)}
 * @param healthCheck how readiness and liveness are checked
 * @param cpu millicpus (1000 = one CPU)
 * @param memory megabytes (1024 = 1 GiB)
 * @param ingresses one Ingress each
 * @param annotations put on the pods and the Service
 * @param daemon a DaemonSet (a pod per node) instead of a Deployment
 * @param deploymentStrategy how a Deployment replaces its pods
 * @param volumes mounted into the container
 * @param privileged runs the container privileged
 * @param addCapabilities POSIX capabilities added to the container
 * @param dropCapabilities POSIX capabilities dropped from the container
 * @param tty gives the container a TTY (and stdin)
 * @param timeout how long the deploy may take
 */
public record ContainerDeploySpec(
    Optional<String> image,
    List<String> command,
    List<String> args,
    List<EnvVar> env,
    List<Port> ports,
    OptionalInt replicas,
    Optional<HealthCheck> healthCheck,
    Resources cpu,
    Resources memory,
    List<Ingress> ingresses,
    Map<String, String> annotations,
    boolean daemon,
    DeploymentStrategy deploymentStrategy,
    List<Volume> volumes,
    boolean privileged,
    List<String> addCapabilities,
    List<String> dropCapabilities,
    boolean tty,
    Duration timeout) {

  /** Garden's default {@code cpu}: requests 10m, limit one CPU. */
  public static final Resources DEFAULT_CPU = new Resources(10, OptionalInt.of(1000));

  /** Garden's default {@code memory}: requests 90Mi (the least some clusters accept), limit 1Gi. */
  public static final Resources DEFAULT_MEMORY = new Resources(90, OptionalInt.of(1024));

  /** Garden's default timeout of a Deploy. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);

  /** Replicas when the spec has none. */
  public static final int DEFAULT_REPLICAS = 1;

  /** Replicas when the spec has none and the environment is {@code production: true}. */
  public static final int PRODUCTION_REPLICAS = 3;

  /** Garden's environment variable names: POSIX-like, and not starting with {@code garden}. */
  private static final Pattern ENV_NAME = Pattern.compile("(?i)^(?!garden)[a-z_][a-z0-9_.]*$");

  /** Garden's user identifiers: lower-case DNS labels. */
  private static final Pattern PORT_NAME = Pattern.compile("^[a-z][a-z0-9]*(-[a-z0-9]+)*$");

  /** Kubernetes refuses container port names longer than this (IANA service names). */
  private static final int PORT_NAME_MAX = 15;

  private static final Pattern VOLUME_NAME =
      Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");

  private static final Set<String> VOLUME_KEYS =
      Set.of("name", "containerPath", "hostPath", "action");

  public ContainerDeploySpec {
    command = List.copyOf(command);
    args = List.copyOf(args);
    env = List.copyOf(env);
    ports = List.copyOf(ports);
    ingresses = List.copyOf(ingresses);
    annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    volumes = List.copyOf(volumes);
    addCapabilities = List.copyOf(addCapabilities);
    dropCapabilities = List.copyOf(dropCapabilities);
  }

  /** An environment variable of the container. */
  public sealed interface EnvVar {
    String name();

    /** A plain value ({@code API_URL: http://api}). */
    record Literal(String name, String value) implements EnvVar {}

    /** A key of a Secret in the namespace ({@code {secretRef: {name, key}}}). */
    record FromSecret(String name, String secret, String key) implements EnvVar {}
  }

  /**
   * A port of the container.
   *
   * @param protocol {@code TCP} or {@code UDP}
   * @param servicePort the Service's port (Garden: {@code containerPort} unless given)
   * @param onNode the Service exposes it on every node ({@code nodePort: true} or a number)
   * @param nodePort the node port asked for; none lets the cluster choose
   * @param hostPort a port on the node itself, for daemons only (as in Garden)
   */
  public record Port(
      String name,
      String protocol,
      int containerPort,
      int servicePort,
      boolean onNode,
      OptionalInt nodePort,
      OptionalInt hostPort) {}

  /**
   * Requests and limit of one resource.
   *
   * @param min what the pod requests
   * @param max its limit; none means no limit ({@code max: null})
   */
  public record Resources(int min, OptionalInt max) {}

  /**
   * How Kubernetes checks the container (one probe serves as readiness and liveness check).
   *
   * @param readinessTimeoutSeconds the readiness probe's timeout
   * @param livenessTimeoutSeconds the liveness probe's timeout
   */
  public record HealthCheck(Probe probe, int readinessTimeoutSeconds, int livenessTimeoutSeconds) {}

  /** What a health check does. */
  public sealed interface Probe {
    /** An HTTP GET; {@code port} is the container port. */
    record HttpGet(String path, int port, String scheme) implements Probe {}

    /** A command run in the container. */
    record Exec(List<String> command) implements Probe {
      public Exec {
        command = List.copyOf(command);
      }
    }

    /** A TCP connection to the container port. */
    record TcpSocket(int port) implements Probe {}
  }

  /**
   * An Ingress to the Service.
   *
   * @param path routed with {@code pathType: Prefix}
   * @param port the name of the port it routes to
   * @param servicePort that port's number on the Service
   * @param hostname none means the provider's {@code defaultHostname}
   * @param linkUrl shown to users instead of the ingress URL (not used by the manifests)
   */
  public record Ingress(
      String path,
      String port,
      int servicePort,
      Optional<String> hostname,
      Map<String, String> annotations,
      Optional<String> linkUrl) {
    public Ingress {
      annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }
  }

  /**
   * A volume mounted into the container.
   *
   * @param hostPath an absolute path on the node; none means an empty directory
   */
  public record Volume(String name, String containerPath, Optional<String> hostPath) {}

  /** How a Deployment replaces its pods. */
  public enum DeploymentStrategy {
    ROLLING_UPDATE("RollingUpdate"),
    RECREATE("Recreate");

    private final String kubernetesName;

    DeploymentStrategy(String kubernetesName) {
      this.kubernetesName = kubernetesName;
    }

    /** The name as Garden and Kubernetes write it. */
    public String kubernetesName() {
      return kubernetesName;
    }
  }

  /** The replicas to run: the spec's, else 1, or 3 in a production environment (as Garden). */
  public int replicas(boolean production) {
    return replicas.orElse(production ? PRODUCTION_REPLICAS : DEFAULT_REPLICAS);
  }

  /**
   * The image to deploy: the Build's {@code deploymentImageId} when the action has a {@code build},
   * else {@code spec.image}.
   *
   * @throws ActionException {@code INVALID_SPEC} when there is neither
   */
  public String imageId(Optional<String> buildImageId, String action) throws ActionException {
    if (buildImageId.isPresent()) {
      return buildImageId.get();
    }
    return image.orElseThrow(
        () ->
            new ActionException(
                ActionCodes.INVALID_SPEC,
                action + " has neither a build nor spec.image; a container action needs one.",
                "Add build: <a Build/container> to the action, or set spec.image to an image"
                    + " such as nginx:1.27."));
  }

  /**
   * Reads a resolved spec.
   *
   * @param action names it in errors ({@code deploy.web})
   * @param sourceDir where relative {@code hostPath}s of volumes point (Garden: the action's source
   *     folder)
   */
  public static ContainerDeploySpec parse(Map<String, Object> spec, String action, Path sourceDir)
      throws ActionException {
    SpecReader read = new SpecReader(action);
    List<Port> ports = ports(read, spec.get("ports"));
    return new ContainerDeploySpec(
        read.string(spec.get("image"), "image", "nginx:1.27."),
        read.strings(spec.get("command"), "command", "[\"node\", \"server.js\"]."),
        read.strings(spec.get("args"), "args", "[\"--port\", \"8080\"]."),
        env(read, spec.get("env")),
        ports,
        read.integer(spec.get("replicas"), "replicas", 0, Integer.MAX_VALUE, "2"),
        healthCheck(read, spec.get("healthCheck"), ports),
        resources(read, spec.get("cpu"), "cpu", DEFAULT_CPU, 10, "millicpus (1000 = one CPU)"),
        resources(
            read, spec.get("memory"), "memory", DEFAULT_MEMORY, 64, "megabytes (1024 = 1 GiB)"),
        ingresses(read, spec.get("ingresses"), ports),
        read.stringMap(spec.get("annotations"), "annotations", "{prometheus.io/scrape: \"true\"}."),
        read.flag(spec.get("daemon"), "daemon", false),
        strategy(read, spec.get("deploymentStrategy")),
        volumes(read, spec.get("volumes"), sourceDir),
        read.flag(spec.get("privileged"), "privileged", false),
        read.strings(spec.get("addCapabilities"), "addCapabilities", "[\"NET_ADMIN\"]."),
        read.strings(spec.get("dropCapabilities"), "dropCapabilities", "[\"ALL\"]."),
        read.flag(spec.get("tty"), "tty", false),
        SpecValues.seconds(spec, "timeout", DEFAULT_TIMEOUT, action));
  }

  private static List<EnvVar> env(SpecReader read, Object value) throws ActionException {
    if (value instanceof List<?>) {
      throw read.invalid(
          "env",
          value,
          "a map of names to values (Garden's form, not Kubernetes' list)",
          "Write spec.env as a map, such as {API_URL: http://api, TOKEN: {secretRef: {name:"
              + " api, key: token}}}.");
    }
    Map<String, Object> entries = read.object(value, "env", "{API_URL: http://api}.");
    List<EnvVar> env = new ArrayList<>();
    for (Map.Entry<String, Object> entry : entries.entrySet()) {
      String name = entry.getKey();
      String path = "env." + name;
      if (!ENV_NAME.matcher(name).matches() || name.regionMatches(true, 0, "grove", 0, 5)) {
        throw read.problem(
            path,
            "is not a name Grove can set: names have letters, digits, _ and . (not first), and"
                + " do not start with GARDEN or GROVE",
            "Rename it, such as API_URL.");
      }
      Object item = entry.getValue();
      if (item instanceof Map<?, ?>) {
        env.add(secretRef(read, read.object(item, path, "{secretRef: {name, key}}."), name, path));
      } else if (item == null) {
        // Garden writes a null value as the text "null".
        env.add(new EnvVar.Literal(name, "null"));
      } else if (ValueTrees.isScalar(item)) {
        env.add(new EnvVar.Literal(name, SpecValues.stringOf(item)));
      } else {
        throw read.invalid(
            path,
            item,
            "a string, number, boolean or {secretRef: {name, key}}",
            "Give spec." + path + " a plain value, or {secretRef: {name: <secret>, key: <key>}}.");
      }
    }
    return env;
  }

  private static EnvVar secretRef(
      SpecReader read, Map<String, Object> value, String name, String path) throws ActionException {
    String suggestion =
        "Write spec." + path + " as {secretRef: {name: <secret>, key: <key in the secret>}}.";
    read.onlyKeys(value, path, Set.of("secretRef"));
    Map<String, Object> ref =
        read.object(value.get("secretRef"), path + ".secretRef", "{name, key}.");
    read.onlyKeys(ref, path + ".secretRef", Set.of("name", "key"));
    String secret =
        read.string(ref.get("name"), path + ".secretRef.name", "api-secrets.")
            .orElseThrow(
                () -> read.missing(path + ".secretRef.name", "it names the Secret", suggestion));
    String key =
        read.string(ref.get("key"), path + ".secretRef.key", "token.")
            .orElseThrow(
                () ->
                    read.missing(
                        path + ".secretRef.key",
                        "Kubernetes needs the key to read from the Secret",
                        suggestion));
    return new EnvVar.FromSecret(name, secret, key);
  }

  private static List<Port> ports(SpecReader read, Object value) throws ActionException {
    String example = "[{name: http, containerPort: 8080, servicePort: 80}].";
    List<?> items = read.list(value, "ports", example);
    List<Port> ports = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String path = "ports[" + i + "]";
      if (items.get(i) == null) {
        continue;
      }
      Map<String, Object> item = read.object(items.get(i), path, example);
      String name =
          read.string(item.get("name"), path + ".name", "http.")
              .orElseThrow(
                  () ->
                      read.missing(
                          path + ".name",
                          "health checks and ingresses refer to ports by name",
                          "Name the port, such as name: http."));
      if (!PORT_NAME.matcher(name).matches() || name.length() > PORT_NAME_MAX) {
        throw read.problem(
            path + ".name",
            "is \""
                + name
                + "\"; a port name has lower-case letters, digits and dashes, starts with a"
                + " letter and has at most "
                + PORT_NAME_MAX
                + " characters (Kubernetes' rule)",
            "Rename the port, such as http or grpc-api.");
      }
      if (!names.add(name)) {
        throw read.problem(
            path + ".name",
            "repeats the port name \"" + name + "\"",
            "Give each port its own name.");
      }
      String protocol = read.string(item.get("protocol"), path + ".protocol", "TCP.").orElse("TCP");
      if (!protocol.equals("TCP") && !protocol.equals("UDP")) {
        throw read.invalid(
            path + ".protocol",
            protocol,
            "TCP or UDP",
            "Set spec." + path + ".protocol to TCP or UDP.");
      }
      int containerPort =
          read.integer(item.get("containerPort"), path + ".containerPort", 1, 65535, "8080")
              .orElseThrow(
                  () ->
                      read.missing(
                          path + ".containerPort",
                          "it is the port the process listens on",
                          "Set spec." + path + ".containerPort, such as 8080."));
      int servicePort =
          read.integer(item.get("servicePort"), path + ".servicePort", 1, 65535, "80")
              .orElse(containerPort);
      Object node = item.get("nodePort");
      boolean onNode = Boolean.TRUE.equals(node) || "true".equals(node);
      OptionalInt nodePort =
          onNode || node == null || Boolean.FALSE.equals(node) || "false".equals(node)
              ? OptionalInt.empty()
              : read.integer(node, path + ".nodePort", 1, 65535, "30080 (or true)");
      ports.add(
          new Port(
              name,
              protocol,
              containerPort,
              servicePort,
              onNode || nodePort.isPresent(),
              nodePort,
              read.integer(item.get("hostPort"), path + ".hostPort", 1, 65535, "8080")));
    }
    return ports;
  }

  private static Optional<HealthCheck> healthCheck(SpecReader read, Object value, List<Port> ports)
      throws ActionException {
    if (value == null) {
      return Optional.empty();
    }
    Map<String, Object> check =
        read.object(value, "healthCheck", "{httpGet: {path: /health, port: http}}.");
    List<Probe> probes = new ArrayList<>();
    if (check.get("httpGet") != null) {
      Map<String, Object> get =
          read.object(check.get("httpGet"), "healthCheck.httpGet", "{path: /health, port: http}.");
      String path =
          read.string(get.get("path"), "healthCheck.httpGet.path", "/health.")
              .orElseThrow(
                  () ->
                      read.missing(
                          "healthCheck.httpGet.path",
                          "it is the path of the health endpoint",
                          "Set spec.healthCheck.httpGet.path, such as /health."));
      String scheme =
          read.string(get.get("scheme"), "healthCheck.httpGet.scheme", "HTTP.").orElse("HTTP");
      if (!scheme.equals("HTTP") && !scheme.equals("HTTPS")) {
        throw read.invalid(
            "healthCheck.httpGet.scheme",
            scheme,
            "HTTP or HTTPS",
            "Set spec.healthCheck.httpGet.scheme to HTTP or HTTPS.");
      }
      probes.add(
          new Probe.HttpGet(
              path, port(read, get.get("port"), "healthCheck.httpGet.port", ports), scheme));
    }
    List<String> command = read.strings(check.get("command"), "healthCheck.command", "[\"true\"].");
    if (!command.isEmpty()) {
      probes.add(new Probe.Exec(command));
    }
    if (check.get("tcpPort") != null) {
      probes.add(
          new Probe.TcpSocket(port(read, check.get("tcpPort"), "healthCheck.tcpPort", ports)));
    }
    if (probes.size() != 1) {
      throw read.problem(
          "healthCheck",
          probes.isEmpty()
              ? "has no check; it needs one of httpGet, command or tcpPort"
              : "has more than one of httpGet, command and tcpPort",
          "Give spec.healthCheck exactly one of httpGet, command or tcpPort.");
    }
    return Optional.of(
        new HealthCheck(
            probes.get(0),
            read.integer(
                    check.get("readinessTimeoutSeconds"),
                    "healthCheck.readinessTimeoutSeconds",
                    1,
                    Integer.MAX_VALUE,
                    "3")
                .orElse(3),
            read.integer(
                    check.get("livenessTimeoutSeconds"),
                    "healthCheck.livenessTimeoutSeconds",
                    1,
                    Integer.MAX_VALUE,
                    "3")
                .orElse(3)));
  }

  /** A port named in {@code ports} (its container port), or a port number. */
  private static int port(SpecReader read, Object value, String path, List<Port> ports)
      throws ActionException {
    String suggestion = "Set spec." + path + " to the name of one of spec.ports, such as http.";
    if (value == null) {
      throw read.missing(path, "it names the port to check", suggestion);
    }
    if (value instanceof Number) {
      return read.integer(value, path, 1, 65535, "8080").getAsInt();
    }
    if (value instanceof String name) {
      for (Port port : ports) {
        if (port.name().equals(name)) {
          return port.containerPort();
        }
      }
      throw read.problem(
          path, "names the port \"" + name + "\", which spec.ports lacks", suggestion);
    }
    throw read.invalid(path, value, "a port name or number", suggestion);
  }

  private static Resources resources(
      SpecReader read, Object value, String field, Resources defaults, int leastMax, String unit)
      throws ActionException {
    Map<String, Object> range = read.object(value, field, "{min: 100, max: 1000}.");
    String example = field.equals("cpu") ? "{min: 100, max: 1000}" : "{min: 256, max: 1024}";
    int min =
        read.integer(range.get("min"), field + ".min", 0, Integer.MAX_VALUE, example)
            .orElse(defaults.min());
    OptionalInt max;
    if (range.containsKey("max") && range.get("max") == null) {
      max = OptionalInt.empty();
    } else if (range.get("max") == null) {
      max = defaults.max();
    } else {
      max = read.integer(range.get("max"), field + ".max", leastMax, Integer.MAX_VALUE, example);
    }
    if (max.isPresent() && max.getAsInt() < min) {
      throw read.problem(
          field,
          "has min " + min + " above max " + max.getAsInt() + " (" + unit + ")",
          "Raise spec." + field + ".max or lower spec." + field + ".min.");
    }
    return new Resources(min, max);
  }

  private static List<Ingress> ingresses(SpecReader read, Object value, List<Port> ports)
      throws ActionException {
    String example = "[{path: /, port: http}].";
    List<?> items = read.list(value, "ingresses", example);
    List<Ingress> ingresses = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) == null) {
        continue;
      }
      String path = "ingresses[" + i + "]";
      Map<String, Object> item = read.object(items.get(i), path, example);
      String route = read.string(item.get("path"), path + ".path", "/api.").orElse("/");
      if (!route.startsWith("/")) {
        throw read.problem(
            path + ".path",
            "is \"" + route + "\"; an ingress path starts with /",
            "Write it as /" + route + ".");
      }
      String suggestion =
          "Set spec." + path + ".port to the name of one of spec.ports, such as http.";
      Object portValue = item.get("port");
      if (portValue == null) {
        throw read.missing(path + ".port", "it names the port the ingress routes to", suggestion);
      }
      if (!(portValue instanceof String portName)) {
        throw read.invalid(path + ".port", portValue, "the name of a port", suggestion);
      }
      Port port =
          ports.stream()
              .filter(p -> p.name().equals(portName))
              .findFirst()
              .orElseThrow(
                  () ->
                      read.problem(
                          path + ".port",
                          "names the port \"" + portName + "\", which spec.ports lacks",
                          suggestion));
      ingresses.add(
          new Ingress(
              route,
              port.name(),
              port.servicePort(),
              read.string(item.get("hostname"), path + ".hostname", "web.example.com."),
              read.stringMap(
                  item.get("annotations"),
                  path + ".annotations",
                  "{nginx.ingress.kubernetes.io/proxy-body-size: \"0\"}."),
              read.string(item.get("linkUrl"), path + ".linkUrl", "https://web.example.com.")));
    }
    return ingresses;
  }

  private static DeploymentStrategy strategy(SpecReader read, Object value) throws ActionException {
    Optional<String> name = read.string(value, "deploymentStrategy", "RollingUpdate or Recreate.");
    if (name.isEmpty()) {
      return DeploymentStrategy.ROLLING_UPDATE;
    }
    for (DeploymentStrategy strategy : DeploymentStrategy.values()) {
      if (strategy.kubernetesName().equals(name.get())) {
        return strategy;
      }
    }
    throw read.invalid(
        "deploymentStrategy",
        value,
        "RollingUpdate or Recreate",
        "Set spec.deploymentStrategy to RollingUpdate (the default) or Recreate.");
  }

  private static List<Volume> volumes(SpecReader read, Object value, Path sourceDir)
      throws ActionException {
    String example = "[{name: data, containerPath: /data}].";
    List<?> items = read.list(value, "volumes", example);
    List<Volume> volumes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) == null) {
        continue;
      }
      String path = "volumes[" + i + "]";
      Map<String, Object> item = read.object(items.get(i), path, example);
      read.onlyKeys(item, path, VOLUME_KEYS);
      if (item.get("action") != null) {
        throw read.problem(
            path + ".action",
            "mounts another Deploy (a PersistentVolumeClaim or ConfigMap), which Grove does not"
                + " support yet",
            "Use a Deploy/kubernetes with the volume in its manifests, or drop the action to"
                + " mount an empty directory.");
      }
      String name =
          read.string(item.get("name"), path + ".name", "data.")
              .orElseThrow(
                  () ->
                      read.missing(
                          path + ".name", "a volume needs a name", "Name it, such as name: data."));
      if (!VOLUME_NAME.matcher(name).matches()) {
        throw read.problem(
            path + ".name",
            "is \"" + name + "\"; a volume name has lower-case letters, digits and dashes",
            "Rename it, such as data.");
      }
      if (!names.add(name)) {
        throw read.problem(
            path + ".name",
            "repeats the volume name \"" + name + "\"",
            "Give each volume its own name.");
      }
      String containerPath =
          read.string(item.get("containerPath"), path + ".containerPath", "/data.")
              .orElseThrow(
                  () ->
                      read.missing(
                          path + ".containerPath",
                          "it is where the volume is mounted",
                          "Set spec." + path + ".containerPath, such as /data."));
      if (!containerPath.startsWith("/")) {
        throw read.problem(
            path + ".containerPath",
            "is \"" + containerPath + "\"; it must be an absolute path",
            "Write it as /" + containerPath + ".");
      }
      Optional<String> hostPath =
          read.string(item.get("hostPath"), path + ".hostPath", "/var/data.")
              .map(host -> sourceDir.resolve(host).normalize().toString());
      volumes.add(new Volume(name, containerPath, hostPath));
    }
    return volumes;
  }
}
