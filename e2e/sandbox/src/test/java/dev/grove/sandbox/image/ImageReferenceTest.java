package dev.grove.sandbox.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {

  @Test
  void a_bare_name_is_an_official_docker_hub_image_at_latest() throws Exception {
    ImageReference nginx = ImageReference.parse("nginx");

    assertThat(nginx.host()).isEqualTo("docker.io");
    assertThat(nginx.repository()).isEqualTo("library/nginx");
    assertThat(nginx.reference()).isEqualTo("latest");
    assertThat(nginx.normalized()).isEqualTo("docker.io/library/nginx:latest");
    assertThat(nginx.isDockerHub()).isTrue();
    assertThat(nginx.isLoopback()).isFalse();
  }

  @Test
  void the_first_component_is_a_host_when_it_has_a_dot_a_port_or_is_localhost() throws Exception {
    assertThat(ImageReference.parse("bitnami/redis:7").host()).isEqualTo("docker.io");
    assertThat(ImageReference.parse("bitnami/redis:7").repository()).isEqualTo("bitnami/redis");
    assertThat(ImageReference.parse("ghcr.io/org/app:1").host()).isEqualTo("ghcr.io");
    assertThat(ImageReference.parse("localhost/app").host()).isEqualTo("localhost");
    ImageReference local = ImageReference.parse("127.0.0.1:5000/shop/web:v-abc");
    assertThat(local.host()).isEqualTo("127.0.0.1:5000");
    assertThat(local.repository()).isEqualTo("shop/web");
    assertThat(local.reference()).isEqualTo("v-abc");
    assertThat(local.isLoopback()).isTrue();
    assertThat(local.manifestUrl()).isEqualTo("http://127.0.0.1:5000/v2/shop/web/manifests/v-abc");
  }

  @Test
  void a_digest_wins_over_the_tag_and_docker_hub_aliases_are_docker_io() throws Exception {
    String digest = "sha256:" + "a".repeat(64);
    ImageReference pinned = ImageReference.parse("index.docker.io/library/busybox:1.36@" + digest);

    assertThat(pinned.host()).isEqualTo("docker.io");
    assertThat(pinned.reference()).isEqualTo(digest);
    assertThat(pinned.normalized()).isEqualTo("docker.io/library/busybox:1.36@" + digest);
  }

  @Test
  void loopback_means_127_slash_8_localhost_and_ipv6_loopback() throws Exception {
    assertThat(ImageReference.parse("127.1.2.3:80/a").isLoopback()).isTrue();
    assertThat(ImageReference.parse("localhost:5000/a").isLoopback()).isTrue();
    assertThat(ImageReference.parse("[::1]:5000/a").isLoopback()).isTrue();
    assertThat(ImageReference.parse("10.0.0.1:5000/a").isLoopback()).isFalse();
    assertThat(ImageReference.parse("europe-docker.pkg.dev/p/r/a").isLoopback()).isFalse();
  }

  @Test
  void upper_case_or_empty_names_are_invalid_reference_formats() {
    for (String bad : new String[] {"Nginx", "", "nginx:", "a b", "127.0.0.1:5000/Shop/web"}) {
      assertThatThrownBy(() -> ImageReference.parse(bad))
          .as(bad)
          .isInstanceOf(ImageReference.InvalidReference.class)
          .hasMessageContaining("invalid reference format");
    }
  }

  @Test
  void an_upper_case_first_component_is_a_host_as_docker_reads_it() throws Exception {
    ImageReference upper = ImageReference.parse("Registry/app:1");

    assertThat(upper.host()).isEqualTo("Registry");
    assertThat(upper.repository()).isEqualTo("app");
    assertThat(upper.isDockerHub()).isFalse();
    assertThatThrownBy(() -> ImageReference.parse("docker.io/Shop/web"))
        .isInstanceOf(ImageReference.InvalidReference.class);
  }
}
