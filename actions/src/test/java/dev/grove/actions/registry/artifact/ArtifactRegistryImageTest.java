package dev.grove.actions.registry.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactRegistryImageTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          us-central1-docker.pkg.dev/my-proj/repo/api:v-0123456789 | us-central1  | my-proj | repo | api         | v-0123456789
          europe-west4-docker.pkg.dev/p1/r/team/web/app:latest     | europe-west4 | p1      | r    | team/web/app | latest
          us-docker.pkg.dev/p1/r/api                               | us           | p1      | r    | api         | -
          US-DOCKER.PKG.DEV/p1/r/api:1.2.3                         | us           | p1      | r    | api         | 1.2.3
          asia-docker.pkg.dev/example.com:proj/r/a-b_c.d:v1        | asia         | example.com:proj | r | a-b_c.d | v1
          """)
  void parsesLocationProjectRepositoryImageAndTag(
      String reference,
      String location,
      String project,
      String repository,
      String image,
      String tag) {
    ArtifactRegistryImage parsed = ArtifactRegistryImage.parse(reference);

    assertThat(parsed)
        .isEqualTo(
            new ArtifactRegistryImage(
                location, project, repository, image, Optional.ofNullable(tag)));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "gcr.io/p/api:v1",
        "docker.io/library/nginx:1",
        "us-docker.pkg.dev/p/api",
        "us-docker.pkg.dev/p/r/api@sha256:abc",
        "us-docker.pkg.dev/p/r/API:v1",
        "us-docker.pkg.dev/p/r/api:bad tag",
        "us-docker.pkg.dev:443/p/r/api",
        "-docker.pkg.dev/p/r/api",
        "us-docker.pkg.dev/p/r/api:",
      })
  void rejectsWhatIsNotAnArtifactRegistryDockerImage(String reference) {
    assertThatThrownBy(() -> ArtifactRegistryImage.parse(reference))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void namesTheRepositoryPackageAndTagAsTheApiDoes() {
    ArtifactRegistryImage image =
        ArtifactRegistryImage.parse("us-central1-docker.pkg.dev/p/r/team/api:v-0123456789");

    assertThat(image.repositoryName()).isEqualTo("projects/p/locations/us-central1/repositories/r");
    assertThat(image.packageName())
        .isEqualTo("projects/p/locations/us-central1/repositories/r/packages/team%2Fapi");
    assertThat(image.tagName())
        .isEqualTo(
            "projects/p/locations/us-central1/repositories/r/packages/team%2Fapi/tags/v-0123456789");
    assertThat(image.withoutTag().toString()).isEqualTo("us-central1-docker.pkg.dev/p/r/team/api");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "us-central1-docker.pkg.dev, true",
    "europe-docker.pkg.dev:443, true",
    "US-DOCKER.PKG.DEV, true",
    "gcr.io, false",
    "us-central1-python.pkg.dev, false",
    "-docker.pkg.dev, false",
    "docker.pkg.dev, false",
  })
  void detectsArtifactRegistryDockerHosts(String host, boolean expected) {
    assertThat(ArtifactRegistryImage.isArtifactRegistryHost(host)).isEqualTo(expected);
  }
}
