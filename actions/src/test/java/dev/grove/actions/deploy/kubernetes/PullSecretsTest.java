package dev.grove.actions.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PullSecretsTest {

  @ParameterizedTest
  @CsvSource({
    "europe-west1-docker.pkg.dev/my-project/my-repo/backend:v1, europe-west1-docker.pkg.dev",
    "127.0.0.1:5000/app:v-0123456789, 127.0.0.1:5000",
    "localhost/app, localhost",
    "localhost:5000/app@sha256:abc, localhost:5000",
    "nginx, docker.io",
    "nginx:1.27, docker.io",
    "library/nginx:1.27, docker.io",
    "bitnami/redis:7, docker.io",
    "docker.io/library/nginx, docker.io",
    "index.docker.io/library/nginx, docker.io",
    "GHCR.io/Acme/Tool:1, ghcr.io",
    "registry:5000/app, registry:5000"
  })
  void theRegistryHostFollowsDockersRules(String image, String host) {
    assertThat(PullSecrets.registryHost(image)).isEqualTo(host);
  }

  @ParameterizedTest
  @CsvSource({
    "europe-west1-docker.pkg.dev, true",
    "EUROPE-WEST1-DOCKER.PKG.DEV, true",
    "us-docker.pkg.dev, true",
    "docker.io, false"
  })
  void aHostIsPrivateWhenItIsTheProvidersOrHasCredentials(String host, boolean expected) {
    PullSecrets secrets =
        new PullSecrets(
            List.of("Europe-West1-Docker.pkg.dev"),
            List.of("gar-pull-secret"),
            "us-docker.pkg.dev"::equals,
            Set.of());

    assertThat(secrets.isPrivate(host)).isEqualTo(expected);
  }
}
