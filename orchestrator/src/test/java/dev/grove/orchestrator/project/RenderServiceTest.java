package dev.grove.orchestrator.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.api.project.ProjectRequest;
import dev.grove.api.render.RenderRequest;
import dev.grove.api.render.RenderResult;
import dev.grove.orchestrator.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code grove render} works on every project {@code grove validate} accepts. */
class RenderServiceTest {
  private final RenderService render =
      new RenderService(new DefaultProjectService(Fixtures.router()), Fixtures.router());

  private RenderResult.RenderedDeploy renderOne(String project) {
    String root = Fixtures.project("garden-compat/" + project).toString();
    return render
        .render(
            new RenderRequest(new ProjectRequest(root, root, null, Map.of(), Map.of()), List.of()))
        .deploys()
        .get(0);
  }

  @Test
  void underLocalKubernetesAnIngressWithoutHostnameGetsGardensDefaultHostname() {
    RenderResult.RenderedDeploy api = renderOne("providers-not-acted");
    assertThat(api.yaml())
        .contains("host: shop.local.demo.garden")
        .contains("namespace: shop-init");
    assertThat(api.warnings()).isEmpty();
  }

  @Test
  void withoutAnyHostnameTheIngressRendersForAnyHostWithAWarning() {
    RenderResult.RenderedDeploy web = renderOne("providers-kubernetes-ingress");
    assertThat(web.yaml()).contains("kind: Ingress").doesNotContain("host:");
    assertThat(web.warnings())
        .singleElement()
        .satisfies(w -> assertThat(w.message()).contains("spec.ingresses[0].hostname is missing"));
  }
}
