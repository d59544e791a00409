package dev.grove.actions.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

/** What {@code grove logs -f} learns of a Kubernetes Deploy's pods. */
class KubePodsTest {

  @Test
  void aTerminatedContainerIsFinishedForGoodOnlyWhenItsPodWillNotRestartIt() {
    ContainerStatus exited0 =
        new ContainerStatusBuilder()
            .withName("job")
            .withNewState()
            .withNewTerminated()
            .withExitCode(0)
            .endTerminated()
            .endState()
            .build();
    ContainerStatus exited1 =
        new ContainerStatusBuilder(exited0)
            .editState()
            .editTerminated()
            .withExitCode(1)
            .endTerminated()
            .endState()
            .build();

    assertThat(KubePods.finishedForGood(pod("Never"), exited1)).isTrue();
    assertThat(KubePods.finishedForGood(pod("OnFailure"), exited0)).isTrue();
    assertThat(KubePods.finishedForGood(pod("OnFailure"), exited1)).isFalse();
    assertThat(KubePods.finishedForGood(pod("Always"), exited0)).isFalse();
  }

  private static Pod pod(String restartPolicy) {
    return new PodBuilder().withNewSpec().withRestartPolicy(restartPolicy).endSpec().build();
  }
}
