package dev.grove.sandbox.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grove.sandbox.SimulatedKubelet;
import dev.grove.sandbox.apiserver.PatchRules;
import dev.grove.sandbox.apiserver.SandboxApi;
import dev.grove.sandbox.cri.CriClient;
import dev.grove.sandbox.cri.v1.ContainerFilter;
import dev.grove.sandbox.cri.v1.ListContainersRequest;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kubelet on a real node: pods run in containerd through CRI (a node of the tests' own, {@link
 * ContainerdFixture}), with real output, pull secrets, restarts, jobs, probes, limits and removal.
 */
class CriKubeletIT {

  private static final String NS = "default";
  private static ContainerdFixture node;
  private static SandboxApi api;
  private static SimulatedKubelet kubelet;
  private static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    ContainerdFixture.assumeSupported();
    node = new ContainerdFixture();
    Clock clock = Clock.systemUTC();
    api =
        SandboxApi.start(
            0,
            clock,
            SandboxApi.newToken(),
            new PatchRules(
                (v, k) -> false, (o, p) -> p, (o, p) -> p, (v, k, f) -> Optional.empty()));
    kubelet =
        SimulatedKubelet.start(
            api.config(),
            api.vertx(),
            api.logs(),
            clock,
            (c, pod, image) -> {
              throw new AssertionError("the simulated puller is not used with a node");
            },
            Optional.of(node));
    client = new KubernetesClientBuilder().withConfig(api.config()).build();
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (ContainerdFixture.USER + ":" + ContainerdFixture.PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
    String dockerConfig = "{\"auths\":{\"" + node.registry() + "\":{\"auth\":\"" + auth + "\"}}}";
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("regcred")
                .endMetadata()
                .withType("kubernetes.io/dockerconfigjson")
                .withData(
                    Map.of(
                        ".dockerconfigjson",
                        Base64.getEncoder()
                            .encodeToString(dockerConfig.getBytes(StandardCharsets.UTF_8))))
                .build())
        .create();
    client
        .configMaps()
        .inNamespace(NS)
        .resource(
            new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .endMetadata()
                .withData(Map.of("GREETING", "hello-from-configmap"))
                .build())
        .create();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (api != null) {
      api.close();
    }
    if (node != null) {
      node.close();
    }
  }

  private static PodBuilder pod(String name, String restartPolicy, String... command) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy(restartPolicy)
        .withTerminationGracePeriodSeconds(1L)
        .addNewImagePullSecret("regcred")
        .addNewContainer()
        .withName("main")
        .withImage(node.busybox())
        .withCommand(command)
        .endContainer()
        .endSpec();
  }

  private static Pod await(String name, Duration timeout, Predicate<Pod> what) throws Exception {
    Instant end = Instant.now().plus(timeout);
    Pod pod = null;
    while (Instant.now().isBefore(end)) {
      pod = client.pods().inNamespace(NS).withName(name).get();
      if (pod != null && pod.getStatus() != null && what.test(pod)) {
        return pod;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("pod " + name + " did not get there in " + timeout + ": " + pod);
  }

  private static ContainerStatus main(Pod pod) {
    return pod.getStatus().getContainerStatuses().get(0);
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("Ready"))
        .map(PodCondition::getStatus)
        .anyMatch("True"::equals);
  }

  @Test
  void aPodRunsItsCommandWithEnvAndLimitAndGoesAwayWhenDeleted() throws Exception {
    client
        .pods()
        .inNamespace(NS)
        .resource(
            pod(
                    "echo",
                    "Always",
                    "sh",
                    "-c",
                    "echo hello from $POD_NAME; echo $GREETING; sleep 3600")
                .editSpec()
                .editContainer(0)
                .addNewEnv()
                .withName("POD_NAME")
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.name")
                .endFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnvFrom()
                .withNewConfigMapRef()
                .withName("settings")
                .endConfigMapRef()
                .endEnvFrom()
                .withNewResources()
                .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("64Mi"))
                .endResources()
                .endContainer()
                .endSpec()
                .build())
        .create();
    Pod running =
        await("echo", Duration.ofSeconds(90), p -> "Running".equals(p.getStatus().getPhase()));
    var info =
        client
            .nodes()
            .withName(dev.grove.sandbox.cluster.Node.NAME)
            .get()
            .getStatus()
            .getNodeInfo();
    assertTrue(info.getContainerRuntimeVersion().startsWith("containerd://"), info.toString());
    assertTrue(!info.getOsImage().contains("simulated"), info.getOsImage());
    assertTrue(
        running.getStatus().getPodIP().startsWith("10.42.0."), running.getStatus().getPodIP());
    Instant end = Instant.now().plusSeconds(20);
    String log = "";
    while (Instant.now().isBefore(end) && !log.contains("hello-from-configmap")) {
      log = client.pods().inNamespace(NS).withName("echo").getLog();
      Thread.sleep(250);
    }
    assertTrue(log.contains("hello from echo\n"), log);
    assertTrue(log.contains("hello-from-configmap"), log);

    PodStreams streams = kubelet.streams().orElseThrow();
    String exec =
        streams.exec(NS, "echo", "", List.of("ls", "/"), false, true, true, false).toString();
    assertTrue(exec.startsWith("http://127.0.0.1:") && exec.contains("/exec/"), exec);
    String forward = streams.portForward(NS, "echo", List.of(8080)).toString();
    assertTrue(forward.contains("/portforward/"), forward);

    String containerId = main(running).getContainerID().replace("containerd://", "");
    Path limit =
        Path.of(
            "/sys/fs/cgroup/memory",
            node.cgroupParent(),
            "pod" + running.getMetadata().getUid(),
            containerId,
            "memory.limit_in_bytes");
    assertEquals("67108864", Files.readString(limit).strip());

    client.pods().inNamespace(NS).withName("echo").delete();
    try (CriClient cri = new CriClient(node.criSocket())) {
      ListContainersRequest request =
          ListContainersRequest.newBuilder()
              .setFilter(
                  ContainerFilter.newBuilder()
                      .putLabelSelector("io.kubernetes.pod.uid", running.getMetadata().getUid()))
              .build();
      Instant gone = Instant.now().plusSeconds(60);
      while (Instant.now().isBefore(gone) && cri.listContainers(request).getContainersCount() > 0) {
        Thread.sleep(250);
      }
      assertEquals(0, cri.listContainers(request).getContainersCount());
    }
  }

  @Test
  void aPodWithoutItsPullSecretFailsWithContainerdsError() throws Exception {
    client
        .pods()
        .inNamespace(NS)
        .resource(
            pod("nosecret", "Always", "sleep", "3600")
                .editSpec()
                .withImagePullSecrets(List.of())
                .endSpec()
                .build())
        .create();
    Pod failed =
        await(
            "nosecret",
            Duration.ofSeconds(60),
            p ->
                !p.getStatus().getContainerStatuses().isEmpty()
                    && main(p).getState().getWaiting() != null
                    && List.of("ErrImagePull", "ImagePullBackOff")
                        .contains(main(p).getState().getWaiting().getReason()));
    String message = main(failed).getState().getWaiting().getMessage();
    assertTrue(message.contains("failed to pull and unpack image"), message);
    assertTrue(message.contains("401 Unauthorized"), message);
    client.pods().inNamespace(NS).withName("nosecret").delete();
  }

  @Test
  void aContainerThatExitsOneCrashLoops() throws Exception {
    client
        .pods()
        .inNamespace(NS)
        .resource(
            pod("crash", "Always", "sh", "-c", "echo boom; exit 1")
                .editSpec()
                .editContainer(0)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .endContainer()
                .endSpec()
                .build())
        .create();
    Pod looping =
        await(
            "crash",
            Duration.ofSeconds(90),
            p ->
                !p.getStatus().getContainerStatuses().isEmpty()
                    && main(p).getRestartCount() >= 1
                    && main(p).getState().getWaiting() != null
                    && "CrashLoopBackOff".equals(main(p).getState().getWaiting().getReason()));
    assertEquals(1, main(looping).getLastState().getTerminated().getExitCode());
    assertEquals("Error", main(looping).getLastState().getTerminated().getReason());
    assertEquals("boom\n", main(looping).getLastState().getTerminated().getMessage());
    assertTrue(
        main(looping).getState().getWaiting().getMessage().startsWith("back-off "),
        main(looping).getState().getWaiting().getMessage());
    String previous = client.pods().inNamespace(NS).withName("crash").terminated().getLog();
    assertTrue(previous.contains("boom"), previous);
    client.pods().inNamespace(NS).withName("crash").delete();
  }

  @Test
  void aJobPodCompletes() throws Exception {
    Job job =
        new JobBuilder()
            .withNewMetadata()
            .withName("once")
            .endMetadata()
            .withNewSpec()
            .withNewTemplate()
            .withSpec(pod("ignored", "Never", "sh", "-c", "echo done").buildSpec())
            .endTemplate()
            .endSpec()
            .build();
    client.batch().v1().jobs().inNamespace(NS).resource(job).create();
    Instant end = Instant.now().plusSeconds(90);
    Job done = null;
    while (Instant.now().isBefore(end)) {
      done = client.batch().v1().jobs().inNamespace(NS).withName("once").get();
      if (done.getStatus() != null
          && done.getStatus().getSucceeded() != null
          && done.getStatus().getSucceeded() == 1) {
        break;
      }
      Thread.sleep(250);
    }
    assertEquals(1, done.getStatus().getSucceeded(), String.valueOf(done.getStatus()));
    Pod pod = client.pods().inNamespace(NS).withLabel("job-name", "once").list().getItems().get(0);
    assertEquals("Succeeded", pod.getStatus().getPhase());
    assertEquals("Completed", main(pod).getState().getTerminated().getReason());
  }

  @Test
  void readinessProbesDriveReady() throws Exception {
    client
        .pods()
        .inNamespace(NS)
        .resource(
            pod("unready", "Always", "sleep", "3600")
                .editSpec()
                .editContainer(0)
                .withNewReadinessProbe()
                .withNewExec()
                .withCommand("cat", "/tmp/ready")
                .endExec()
                .withPeriodSeconds(1)
                .endReadinessProbe()
                .endContainer()
                .endSpec()
                .build())
        .create();
    client
        .pods()
        .inNamespace(NS)
        .resource(
            pod("web", "Always", "httpd", "-f", "-p", "8080", "-h", "/www")
                .editSpec()
                .editContainer(0)
                .withNewReadinessProbe()
                .withNewHttpGet()
                .withPath("/index.html")
                .withNewPort(8080)
                .endHttpGet()
                .withPeriodSeconds(1)
                .endReadinessProbe()
                .endContainer()
                .endSpec()
                .build())
        .create();
    Pod web = await("web", Duration.ofSeconds(90), CriKubeletIT::ready);
    assertTrue(main(web).getReady());
    Pod unready =
        await("unready", Duration.ofSeconds(90), p -> "Running".equals(p.getStatus().getPhase()));
    Thread.sleep(5000);
    unready = client.pods().inNamespace(NS).withName("unready").get();
    assertEquals("Running", unready.getStatus().getPhase());
    assertTrue(!ready(unready), "a failing readiness probe keeps the pod unready");
    client.pods().inNamespace(NS).withName("web").delete();
    client.pods().inNamespace(NS).withName("unready").delete();
  }

  @Test
  void initContainersRunFirstAndAFailingLivenessProbeRestarts() throws Exception {
    client
        .pods()
        .inNamespace(NS)
        .resource(
            pod("live", "Always", "sleep", "3600")
                .editSpec()
                .addNewInitContainer()
                .withName("setup")
                .withImage(node.busybox())
                .withCommand("sh", "-c", "echo init-done")
                .endInitContainer()
                .editContainer(0)
                .withNewLivenessProbe()
                .withNewExec()
                .withCommand("cat", "/tmp/alive")
                .endExec()
                .withPeriodSeconds(1)
                .withFailureThreshold(1)
                .endLivenessProbe()
                .endContainer()
                .endSpec()
                .build())
        .create();
    Pod killed =
        await(
            "live",
            Duration.ofSeconds(90),
            p ->
                !p.getStatus().getContainerStatuses().isEmpty()
                    && main(p).getLastState() != null
                    && main(p).getLastState().getTerminated() != null);
    assertEquals(137, main(killed).getLastState().getTerminated().getExitCode());
    ContainerStatus setup = killed.getStatus().getInitContainerStatuses().get(0);
    assertEquals("Completed", setup.getState().getTerminated().getReason());
    String log = client.pods().inNamespace(NS).withName("live").inContainer("setup").getLog();
    assertTrue(log.contains("init-done"), log);
    client.pods().inNamespace(NS).withName("live").delete();
  }
}
