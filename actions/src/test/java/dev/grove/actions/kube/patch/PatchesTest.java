package dev.grove.actions.kube.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PatchesTest {

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: api}
      spec:
        template:
          spec:
            containers: [{name: api, image: api:1}, {name: proxy, image: proxy:1}]
      """;

  private static final String CERTIFICATE =
      """
      apiVersion: cert-manager.io/v1
      kind: Certificate
      metadata: {name: web}
      spec: {dnsNames: [a.example.com, b.example.com], secretName: web-tls}
      """;

  @Test
  void strategicIsTheDefault() throws Exception {
    Map<String, Object> result =
        Patches.apply(
            Yaml.map(DEPLOYMENT),
            null,
            Yaml.map("spec: {template: {spec: {containers: [{name: api, image: api:2}]}}}"));

    assertThat(result)
        .isEqualTo(
            Yaml.value(
                DEPLOYMENT.replace("{name: api, image: api:1}", "{name: api, image: api:2}")));
  }

  @Test
  void mergeReplacesLists() throws Exception {
    Map<String, Object> result =
        Patches.apply(
            Yaml.map(DEPLOYMENT),
            "merge",
            Yaml.map("spec: {template: {spec: {containers: [{name: api, image: api:2}]}}}"));

    assertThat(result)
        .isEqualTo(
            Yaml.value(
                DEPLOYMENT.replace(
                    "[{name: api, image: api:1}, {name: proxy, image: proxy:1}]",
                    "[{name: api, image: api:2}]")));
  }

  @Test
  void jsonAppliesOperations() throws Exception {
    Map<String, Object> result =
        Patches.apply(
            Yaml.map(DEPLOYMENT),
            "json",
            Yaml.list("[{op: remove, path: /spec/template/spec/containers/1}]"));

    assertThat(result)
        .isEqualTo(Yaml.value(DEPLOYMENT.replace(", {name: proxy, image: proxy:1}", "")));
  }

  @Test
  void aStrategicPatchOnACustomResourceIsAMergePatch() throws Exception {
    Map<String, Object> result =
        Patches.apply(
            Yaml.map(CERTIFICATE), "strategic", Yaml.map("spec: {dnsNames: [c.example.com]}"));

    assertThat(result)
        .isEqualTo(
            Yaml.value(CERTIFICATE.replace("a.example.com, b.example.com", "c.example.com")));
  }

  @Test
  void strategicDirectivesOnACustomResourceAreRefused() {
    assertThatThrownBy(
            () ->
                Patches.apply(
                    Yaml.map(CERTIFICATE),
                    "strategic",
                    Yaml.map("spec: {issuerRef: {$patch: delete}}")))
        .isInstanceOf(PatchException.class)
        .hasMessageStartingWith("Certificate/web: at spec.issuerRef.$patch:")
        .hasMessageContaining("cert-manager.io/v1 Certificate")
        .satisfies(e -> assertThat(((PatchException) e).suggestion()).contains("strategy: json"));
  }

  @Test
  void errorsNameTheResource() {
    assertThatThrownBy(
            () ->
                Patches.apply(
                    Yaml.map(DEPLOYMENT),
                    "json",
                    Yaml.list("[{op: replace, path: /spec/replicas, value: 2}]")))
        .hasMessageStartingWith("Deployment/api: at operation 0 (replace /spec/replicas):");
  }

  @Test
  void theStrategyAndThePatchShapeAreChecked() {
    Map<String, Object> deployment = Yaml.map(DEPLOYMENT);

    assertThatThrownBy(() -> Patches.apply(deployment, "apply", Map.of()))
        .hasMessageContaining("unknown patch strategy apply")
        .satisfies(
            e -> assertThat(((PatchException) e).suggestion()).contains("strategic (the default)"));
    assertThatThrownBy(() -> Patches.apply(deployment, "json", Map.of()))
        .hasMessageContaining("must be a list of operations");
    assertThatThrownBy(() -> Patches.apply(deployment, "merge", Yaml.list("[a]")))
        .hasMessageContaining("a merge patch must be an object");
  }
}
