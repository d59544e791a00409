package dev.grove.actions.deploy.container;

import dev.grove.actions.deploy.container.ContainerDeploySpec.EnvVar;
import dev.grove.actions.deploy.container.ContainerDeploySpec.HealthCheck;
import dev.grove.actions.deploy.container.ContainerDeploySpec.Ingress;
import dev.grove.actions.deploy.container.ContainerDeploySpec.Port;
import dev.grove.actions.deploy.container.ContainerDeploySpec.Probe;
import dev.grove.actions.deploy.container.ContainerDeploySpec.Resources;
import dev.grove.actions.deploy.container.ContainerDeploySpec.Volume;
import dev.grove.actions.kube.GroveLabels;
import dev.grove.actions.spi.ActionException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The objects a {@code Deploy/container} applies: a Deployment (a DaemonSet with {@code daemon}), a
 * Service when the spec has ports, and an Ingress per ingress. The shape is Garden 0.13's ({@code
 * reference/garden-0.13-container-deploy.yaml}) with Grove's labels and annotation. Pure: the same
 * input gives the same maps, in the same key order.
 */
public final class ContainerManifests {

  /** The pod annotation that makes {@code kubectl exec/logs} pick the action's container. */
  public static final String DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container";

  /** Grove's own variable with the action's version. */
  public static final String VERSION_VARIABLE = "GROVE_ACTION_VERSION";

  /** Garden's variables with the version, set too so that apps written for Garden keep working. */
  public static final List<String> GARDEN_VERSION_VARIABLES =
      List.of("GARDEN_ACTION_VERSION", "GARDEN_MODULE_VERSION");

  private static final int REVISION_HISTORY_LIMIT = 3;
  private static final int PRODUCTION_REVISION_HISTORY_LIMIT = 10;

  /** Garden's readiness probe: checked every second, up to 90 times, before it fails. */
  private static final int READINESS_PERIOD_SECONDS = 1;

  private static final int READINESS_FAILURE_THRESHOLD = 90;

  /** The downward-API variables Garden gives every container, in Garden's order. */
  private static final List<Map.Entry<String, String>> POD_FIELDS =
      List.of(
          Map.entry("POD_HOST_IP", "status.hostIP"),
          Map.entry("POD_IP", "status.podIP"),
          Map.entry("POD_NAME", "metadata.name"),
          Map.entry("POD_NAMESPACE", "metadata.namespace"),
          Map.entry("POD_NODE_NAME", "spec.nodeName"),
          Map.entry("POD_SERVICE_ACCOUNT", "spec.serviceAccountName"),
          Map.entry("POD_UID", "metadata.uid"));

  private ContainerManifests() {}

  /**
   * Where the objects go: the app namespace and the {@code kubernetes} provider's settings.
   *
   * @param namespace set on every object
   * @param imagePullSecrets the provider's {@code imagePullSecrets} (by then in the namespace)
   * @param ingressClass the provider's {@code ingressClass}
   * @param defaultHostname the provider's {@code defaultHostname}, for ingresses without one
   * @param production the environment has {@code production: true}
   */
  public record Target(
      String namespace,
      List<String> imagePullSecrets,
      Optional<String> ingressClass,
      Optional<String> defaultHostname,
      boolean production) {
    public Target {
      imagePullSecrets = List.copyOf(imagePullSecrets);
    }
  }

  /**
   * The objects to apply, workload first, then the Service, then the Ingresses. The maps are new
   * {@link LinkedHashMap}s that the caller may change.
   *
   * @param name the action's name (the objects' names and the container's)
   * @param version the action's version ({@code grove.dev/version} and the version variables)
   * @param imageId the image to run (see {@link ContainerDeploySpec#imageId})
   * @throws ActionException when the spec cannot be generated; an ingress without a hostname (see
   *     {@link #ingressesWithoutHost}) gets a rule for any host
   */
  public static List<Map<String, Object>> generate(
      String name, String version, ContainerDeploySpec spec, String imageId, Target target)
      throws ActionException {
    String ref = "deploy." + name;
    List<Map<String, Object>> objects = new ArrayList<>();
    objects.add(workload(name, ref, version, spec, imageId, target));
    if (!spec.ports().isEmpty()) {
      objects.add(service(name, ref, version, spec, target));
    }
    for (int i = 0; i < spec.ingresses().size(); i++) {
      objects.add(ingress(name, ref, version, i, spec.ingresses().get(i), target));
    }
    return List.copyOf(objects);
  }

  /**
   * The pod spec of a {@code container} Test or Run: one container, {@code container}, from the
   * same fields as a Deploy's (command, args, env, cpu, memory, volumes, security); the runner adds
   * the restart policy and pull secrets.
   */
  public static Map<String, Object> runPodSpec(
      String container, String version, ContainerDeploySpec spec, String imageId) {
    Map<String, Object> pod = new LinkedHashMap<>();
    pod.put("containers", list(container(container, version, spec, imageId)));
    pod.put("dnsPolicy", "ClusterFirst");
    if (!spec.volumes().isEmpty()) {
      pod.put(
          "volumes",
          spec.volumes().stream()
              .map(ContainerManifests::volume)
              .collect(Collectors.toCollection(ArrayList::new)));
    }
    return pod;
  }

  private static Map<String, Object> workload(
      String name,
      String ref,
      String version,
      ContainerDeploySpec spec,
      String imageId,
      Target target) {
    Map<String, Object> podAnnotations = new LinkedHashMap<>(spec.annotations());
    podAnnotations.put(DEFAULT_CONTAINER, name);

    Map<String, Object> pod = new LinkedHashMap<>();
    pod.put("containers", list(container(name, version, spec, imageId)));
    pod.put("restartPolicy", "Always");
    pod.put("terminationGracePeriodSeconds", 5);
    pod.put("dnsPolicy", "ClusterFirst");
    if (!spec.volumes().isEmpty()) {
      pod.put(
          "volumes",
          spec.volumes().stream()
              .map(ContainerManifests::volume)
              .collect(Collectors.toCollection(ArrayList::new)));
    }
    if (!target.imagePullSecrets().isEmpty()) {
      pod.put(
          "imagePullSecrets",
          target.imagePullSecrets().stream()
              .map(secret -> map("name", secret))
              .collect(Collectors.toCollection(ArrayList::new)));
    }
    if (target.production()) {
      // Garden's production defaults, kept so that a production app behaves as it did there.
      pod.put("affinity", spreadOverNodes(ref));
      pod.put("securityContext", map("runAsUser", 1000, "runAsGroup", 3000, "fsGroup", 2000));
    }

    Map<String, Object> workloadSpec = new LinkedHashMap<>();
    workloadSpec.put("selector", map("matchLabels", GroveLabels.selector(ref)));
    workloadSpec.put(
        "template",
        map(
            "metadata",
            map("annotations", podAnnotations, "labels", GroveLabels.of(name, ref)),
            "spec",
            pod));
    if (spec.daemon()) {
      workloadSpec.put("updateStrategy", map("type", "RollingUpdate"));
    } else {
      workloadSpec.put("replicas", spec.replicas(target.production()));
      Map<String, Object> strategy = new LinkedHashMap<>();
      strategy.put("type", spec.deploymentStrategy().kubernetesName());
      if (spec.deploymentStrategy() == ContainerDeploySpec.DeploymentStrategy.ROLLING_UPDATE) {
        // Garden's values, for fast redeploys.
        strategy.put("rollingUpdate", map("maxUnavailable", 1, "maxSurge", 1));
      }
      workloadSpec.put("strategy", strategy);
      workloadSpec.put(
          "revisionHistoryLimit",
          target.production() ? PRODUCTION_REVISION_HISTORY_LIMIT : REVISION_HISTORY_LIMIT);
    }

    Map<String, Object> workload = new LinkedHashMap<>();
    workload.put("apiVersion", "apps/v1");
    workload.put("kind", spec.daemon() ? "DaemonSet" : "Deployment");
    workload.put("metadata", metadata(name, name, ref, version, Map.of(), target));
    workload.put("spec", workloadSpec);
    return workload;
  }

  private static Map<String, Object> container(
      String name, String version, ContainerDeploySpec spec, String imageId) {
    Map<String, Object> container = new LinkedHashMap<>();
    container.put("name", name);
    container.put("image", imageId);
    if (!spec.command().isEmpty()) {
      container.put("command", new ArrayList<>(spec.command()));
    }
    if (!spec.args().isEmpty()) {
      container.put("args", new ArrayList<>(spec.args()));
    }
    container.put("env", env(version, spec));
    List<Map<String, Object>> ports = containerPorts(spec);
    if (!ports.isEmpty()) {
      container.put("ports", ports);
    }
    container.put("resources", resources(spec.cpu(), spec.memory()));
    container.put("imagePullPolicy", "IfNotPresent");
    container.put("securityContext", securityContext(spec));
    if (spec.tty()) {
      container.put("tty", true);
      container.put("stdin", true);
    }
    spec.healthCheck()
        .ifPresent(
            check -> {
              container.put("readinessProbe", readinessProbe(check));
              container.put("livenessProbe", livenessProbe(check));
            });
    if (!spec.volumes().isEmpty()) {
      container.put(
          "volumeMounts",
          spec.volumes().stream()
              .map(volume -> map("name", volume.name(), "mountPath", volume.containerPath()))
              .collect(Collectors.toCollection(ArrayList::new)));
    }
    return container;
  }

  private static List<Map<String, Object>> env(String version, ContainerDeploySpec spec) {
    List<Map<String, Object>> env = new ArrayList<>();
    env.add(map("name", VERSION_VARIABLE, "value", version));
    for (String garden : GARDEN_VERSION_VARIABLES) {
      env.add(map("name", garden, "value", version));
    }
    for (EnvVar variable : spec.env()) {
      if (variable instanceof EnvVar.Literal literal) {
        env.add(map("name", literal.name(), "value", literal.value()));
      } else if (variable instanceof EnvVar.FromSecret secret) {
        env.add(
            map(
                "name",
                secret.name(),
                "valueFrom",
                map("secretKeyRef", map("name", secret.secret(), "key", secret.key()))));
      }
    }
    for (Map.Entry<String, String> field : POD_FIELDS) {
      env.add(
          map(
              "name",
              field.getKey(),
              "valueFrom",
              map("fieldRef", map("fieldPath", field.getValue()))));
    }
    return env;
  }

  private static List<Map<String, Object>> containerPorts(ContainerDeploySpec spec) {
    List<Map<String, Object>> ports = new ArrayList<>();
    for (Port port : spec.ports()) {
      ports.add(
          map(
              "name",
              port.name(),
              "protocol",
              port.protocol(),
              "containerPort",
              port.containerPort()));
    }
    if (spec.daemon()) {
      // As Garden: a daemon's pods may also bind ports on their node.
      for (Port port : spec.ports()) {
        if (port.hostPort().isPresent()) {
          ports.add(
              map(
                  "protocol",
                  port.protocol(),
                  "containerPort",
                  port.containerPort(),
                  "hostPort",
                  port.hostPort().getAsInt()));
        }
      }
    }
    return ports;
  }

  private static Map<String, Object> resources(Resources cpu, Resources memory) {
    Map<String, Object> resources = new LinkedHashMap<>();
    resources.put("requests", map("cpu", millicpus(cpu.min()), "memory", megabytes(memory.min())));
    Map<String, Object> limits = new LinkedHashMap<>();
    memory.max().ifPresent(max -> limits.put("memory", megabytes(max)));
    cpu.max().ifPresent(max -> limits.put("cpu", millicpus(max)));
    if (!limits.isEmpty()) {
      resources.put("limits", limits);
    }
    return resources;
  }

  /** {@code 1000} → {@code "1"}, {@code 250} → {@code "250m"} (as Garden writes them). */
  static String millicpus(int millicpus) {
    return millicpus % 1000 == 0 ? String.valueOf(millicpus / 1000) : millicpus + "m";
  }

  /** {@code 1024} → {@code "1Gi"}, {@code 90} → {@code "90Mi"}: the largest exact binary unit. */
  static String megabytes(int megabytes) {
    String[] units = {"Mi", "Gi", "Ti", "Pi", "Ei"};
    long amount = megabytes;
    int unit = 0;
    while (amount != 0 && amount % 1024 == 0 && unit < units.length - 1) {
      amount /= 1024;
      unit++;
    }
    return amount + units[unit];
  }

  private static Map<String, Object> securityContext(ContainerDeploySpec spec) {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("allowPrivilegeEscalation", spec.privileged());
    if (spec.privileged()) {
      context.put("privileged", true);
    }
    Map<String, Object> capabilities = new LinkedHashMap<>();
    if (!spec.addCapabilities().isEmpty()) {
      capabilities.put("add", new ArrayList<>(spec.addCapabilities()));
    }
    if (!spec.dropCapabilities().isEmpty()) {
      capabilities.put("drop", new ArrayList<>(spec.dropCapabilities()));
    }
    if (!capabilities.isEmpty()) {
      context.put("capabilities", capabilities);
    }
    return context;
  }

  private static Map<String, Object> readinessProbe(HealthCheck check) {
    Map<String, Object> probe = new LinkedHashMap<>();
    probe.put("initialDelaySeconds", 2);
    probe.put("periodSeconds", READINESS_PERIOD_SECONDS);
    probe.put("timeoutSeconds", check.readinessTimeoutSeconds());
    probe.put("successThreshold", 2);
    probe.put("failureThreshold", READINESS_FAILURE_THRESHOLD);
    probe.putAll(handler(check.probe()));
    return probe;
  }

  private static Map<String, Object> livenessProbe(HealthCheck check) {
    Map<String, Object> probe = new LinkedHashMap<>();
    // Liveness starts once readiness has had all its chances (as Garden).
    probe.put("initialDelaySeconds", READINESS_PERIOD_SECONDS * READINESS_FAILURE_THRESHOLD);
    probe.put("periodSeconds", 5);
    probe.put("timeoutSeconds", check.livenessTimeoutSeconds());
    probe.put("successThreshold", 1);
    probe.put("failureThreshold", 3);
    probe.putAll(handler(check.probe()));
    return probe;
  }

  private static Map<String, Object> handler(Probe probe) {
    if (probe instanceof Probe.HttpGet get) {
      return map("httpGet", map("path", get.path(), "port", get.port(), "scheme", get.scheme()));
    }
    if (probe instanceof Probe.Exec exec) {
      return map("exec", map("command", new ArrayList<>(exec.command())));
    }
    Probe.TcpSocket tcp = (Probe.TcpSocket) probe;
    return map("tcpSocket", map("port", tcp.port()));
  }

  private static Map<String, Object> volume(Volume volume) {
    return volume
        .hostPath()
        .map(path -> map("name", volume.name(), "hostPath", map("path", path)))
        .orElseGet(() -> map("name", volume.name(), "emptyDir", new LinkedHashMap<>()));
  }

  /** Garden's production affinity: prefer one pod of the action per node. */
  private static Map<String, Object> spreadOverNodes(String ref) {
    Map<String, Object> term =
        map(
            "labelSelector",
            map(
                "matchExpressions",
                list(map("key", GroveLabels.ACTION, "operator", "In", "values", list(ref)))),
            "topologyKey",
            "kubernetes.io/hostname");
    return map(
        "podAntiAffinity",
        map(
            "preferredDuringSchedulingIgnoredDuringExecution",
            list(map("weight", 100, "podAffinityTerm", term))));
  }

  private static Map<String, Object> service(
      String name, String ref, String version, ContainerDeploySpec spec, Target target) {
    List<Map<String, Object>> ports = new ArrayList<>();
    boolean onNode = false;
    for (Port port : spec.ports()) {
      Map<String, Object> servicePort =
          map(
              "name",
              port.name(),
              "protocol",
              port.protocol(),
              "port",
              port.servicePort(),
              "targetPort",
              port.containerPort());
      port.nodePort().ifPresent(nodePort -> servicePort.put("nodePort", nodePort));
      onNode |= port.onNode();
      ports.add(servicePort);
    }
    Map<String, Object> service = new LinkedHashMap<>();
    service.put("apiVersion", "v1");
    service.put("kind", "Service");
    service.put("metadata", metadata(name, name, ref, version, spec.annotations(), target));
    service.put(
        "spec",
        map(
            "ports",
            ports,
            "selector",
            GroveLabels.selector(ref),
            "type",
            onNode ? "NodePort" : "ClusterIP"));
    return service;
  }

  /**
   * The indexes of the ingresses with no hostname when the provider has no {@code defaultHostname}:
   * Garden fails such a Deploy ("No hostname configured for one of the ingresses"), and so does
   * Grove's deploy; a render shows their rules for any host.
   */
  public static List<Integer> ingressesWithoutHost(ContainerDeploySpec spec, Target target) {
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < spec.ingresses().size(); i++) {
      if (spec.ingresses().get(i).hostname().or(target::defaultHostname).isEmpty()) {
        missing.add(i);
      }
    }
    return missing;
  }

  private static Map<String, Object> ingress(
      String name, String ref, String version, int index, Ingress ingress, Target target) {
    String host = ingress.hostname().or(target::defaultHostname).orElse(null);
    // Garden's annotation; Grove has no TLS certificates yet, so never a redirect.
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("ingress.kubernetes.io/force-ssl-redirect", "false");
    annotations.putAll(ingress.annotations());

    Map<String, Object> backend =
        map("service", map("name", name, "port", map("number", ingress.servicePort())));
    Map<String, Object> rule = new LinkedHashMap<>();
    if (host != null) {
      rule.put("host", host);
    }
    rule.put(
        "http",
        map("paths", list(map("path", ingress.path(), "pathType", "Prefix", "backend", backend))));
    Map<String, Object> ingressSpec = new LinkedHashMap<>();
    target
        .ingressClass()
        .ifPresent(ingressClass -> ingressSpec.put("ingressClassName", ingressClass));
    ingressSpec.put("rules", list(rule));

    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", "networking.k8s.io/v1");
    object.put("kind", "Ingress");
    object.put("metadata", metadata(name + "-" + index, name, ref, version, annotations, target));
    object.put("spec", ingressSpec);
    return object;
  }

  /** Garden's metadata order (name, annotations, namespace, labels) with Grove's keys. */
  private static Map<String, Object> metadata(
      String objectName,
      String name,
      String ref,
      String version,
      Map<String, String> annotations,
      Target target) {
    Map<String, Object> allAnnotations = new LinkedHashMap<>(annotations);
    allAnnotations.put(GroveLabels.VERSION, version);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", objectName);
    metadata.put("annotations", allAnnotations);
    metadata.put("namespace", target.namespace());
    metadata.put("labels", GroveLabels.of(name, ref));
    return metadata;
  }

  private static List<Object> list(Object... items) {
    return new ArrayList<>(Arrays.asList(items));
  }

  /** A small ordered map from key/value pairs. */
  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
