package dev.grove.actions.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.api.action.ActionRef;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ActionContextTest {

  record Spec(String command) {}

  @Test
  void aTypesSpecIsParsedOncePerContext() throws Exception {
    AtomicInteger parses = new AtomicInteger();
    ActionContext.SpecParser<Spec> parser =
        context -> {
          parses.incrementAndGet();
          return new Spec(String.valueOf(context.spec().get("command")));
        };
    ActionContext context =
        ActionContext.builder(ActionRef.parse("deploy.web").orElseThrow(), "exec", "v-1")
            .spec(Map.of("command", "true"))
            .build();

    Spec status = context.spec(Spec.class, parser);
    Spec process = context.spec(Spec.class, parser);

    assertThat(process).isSameAs(status).isEqualTo(new Spec("true"));
    assertThat(parses).hasValue(1);
    ActionContext another =
        ActionContext.builder(ActionRef.parse("deploy.web").orElseThrow(), "exec", "v-2").build();
    another.spec(Spec.class, parser);
    assertThat(parses).hasValue(2);
  }

  @Test
  void withoutAProviderTheKubernetesFieldsAreGardensDefaults() {
    ActionContext context =
        ActionContext.builder(ActionRef.parse("build.web").orElseThrow(), "container", "v-1")
            .build();

    KubeContext kube = KubeContext.of(context);
    assertThat(kube.buildMode()).isEqualTo("local-docker");
    assertThat(kube.registry()).isEmpty();
    assertThat(kube.deploy()).isNull();
  }
}
