package dev.grove.actions.registry.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.devtools.artifactregistry.v1.ArtifactRegistrySettings;
import com.google.devtools.artifactregistry.v1.Repository;
import dev.grove.actions.spi.ActionCodes;
import dev.grove.actions.spi.ActionException;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.time.Instant;
import java.util.Set;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real Artifact Registry client against an in-process fake of the gRPC service. */
class ArtifactRegistryAdminTest {

  static final ArtifactRegistryImage IMAGE =
      ArtifactRegistryImage.parse("us-central1-docker.pkg.dev/proj/apps/team/api:v-00000000aa");
  static final String REPO = "projects/proj/locations/us-central1/repositories/apps";
  static final String PKG = REPO + "/packages/team%2Fapi";
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  final FakeArtifactRegistry fake = new FakeArtifactRegistry();
  Server server;
  ManagedChannel channel;
  ArtifactRegistryAdmin admin;

  @BeforeEach
  void start() throws IOException {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(fake).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    ArtifactRegistrySettings.Builder settings =
        ArtifactRegistrySettings.newBuilder()
            .setTransportChannelProvider(
                FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
            .setCredentialsProvider(NoCredentialsProvider.create());
    // The defaults retry UNAVAILABLE for up to a minute; one attempt is enough to see the mapping.
    settings.getRepositorySettings().setRetryableCodes(Set.of());
    admin = ArtifactRegistryAdmin.create(settings.build());
  }

  @AfterEach
  void stop() {
    admin.close();
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void anExistingDockerRepositoryIsAcceptedAndNotCreated() throws ActionException {
    fake.addRepository(REPO, Repository.Format.DOCKER);

    admin.ensureRepository(IMAGE, true);

    assertThat(fake.calls).containsExactly("getRepository " + REPO);
  }

  @Test
  void aMissingRepositoryIsAnErrorThatSaysHowToCreateIt() {
    assertThatThrownBy(() -> admin.ensureRepository(IMAGE, false))
        .asInstanceOf(InstanceOfAssertFactories.type(ActionException.class))
        .satisfies(
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.AR_REPOSITORY_NOT_FOUND);
              assertThat(e.getMessage()).contains(REPO);
              assertThat(e.suggestion())
                  .contains(
                      "gcloud artifacts repositories create apps --repository-format=docker"
                          + " --location=us-central1 --project=proj")
                  .contains("deploymentRegistry.createRepository: true");
            });
    assertThat(fake.repositories).isEmpty();
  }

  @Test
  void aMissingRepositoryIsCreatedAsDockerWhenAsked() throws ActionException {
    admin.ensureRepository(IMAGE, true);

    assertThat(fake.repositories).containsOnlyKeys(REPO);
    assertThat(fake.repositories.get(REPO).getFormat()).isEqualTo(Repository.Format.DOCKER);
    assertThat(fake.calls)
        .containsExactly(
            "getRepository " + REPO, "createRepository projects/proj/locations/us-central1 apps");
  }

  @Test
  void aRepositoryOfAnotherFormatIsRejected() {
    fake.addRepository(REPO, Repository.Format.MAVEN);

    assertThatThrownBy(() -> admin.ensureRepository(IMAGE, true))
        .asInstanceOf(InstanceOfAssertFactories.type(ActionException.class))
        .satisfies(
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.AR_REPOSITORY_NOT_DOCKER);
              assertThat(e.getMessage()).contains(REPO).contains("MAVEN");
            });
  }

  @Test
  void permissionDeniedIsForbiddenAndNamesTheRole() {
    fake.failWith(Status.PERMISSION_DENIED.withDescription("caller lacks permission ya29.secret"));

    assertThatThrownBy(() -> admin.ensureRepository(IMAGE, false))
        .asInstanceOf(InstanceOfAssertFactories.type(ActionException.class))
        .satisfies(
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.REGISTRY_FORBIDDEN);
              assertThat(e.suggestion()).contains("roles/artifactregistry.writer");
              assertThat(e.getMessage() + e.suggestion()).doesNotContain("ya29");
            });
  }

  @Test
  void permissionDeniedNamesTheRoleEachOperationNeeds() {
    fake.failWith(Status.PERMISSION_DENIED);

    assertThatThrownBy(() -> admin.tagExists(IMAGE))
        .asInstanceOf(InstanceOfAssertFactories.type(ActionException.class))
        .extracting(ActionException::suggestion)
        .asString()
        .contains("roles/artifactregistry.reader");
    assertThatThrownBy(() -> admin.cleanup(IMAGE, 1, false))
        .asInstanceOf(InstanceOfAssertFactories.type(ActionException.class))
        .extracting(ActionException::suggestion)
        .asString()
        .contains("roles/artifactregistry.repoAdmin");
  }

  @Test
  void cleanupDeletesOnlyTheOldTagOfAVersionAKeptTagStillNames() throws ActionException {
    fake.addVersion(PKG, "sha256:0a", T0, "v-000000000a");
    fake.addVersion(PKG, "sha256:0b", T0.plusSeconds(1), "v-000000000b", "v-000000000c");

    assertThat(admin.cleanup(IMAGE, 2, false)).containsExactly("v-000000000a");
    assertThat(admin.cleanup(IMAGE, 1, false)).containsExactly("v-000000000b");

    assertThat(fake.tagsOf(PKG)).containsExactly("v-000000000c");
    assertThat(fake.versionsOf(PKG)).containsExactly("sha256:0b");
  }

  @Test
  void unauthenticatedSuggestsApplicationDefaultLogin() {
    fake.failWith(Status.UNAUTHENTICATED);

    assertThatThrownBy(() -> admin.tagExists(IMAGE))
        .asInstanceOf(InstanceOfAssertFactories.type(ActionException.class))
        .satisfies(
            e -> {
              assertThat(e.code()).isEqualTo(ActionCodes.REGISTRY_UNAUTHORIZED);
              assertThat(e.suggestion()).contains("gcloud auth application-default login");
            });
  }

  @Test
  void anUnavailableServiceIsUnreachable() {
    fake.failWith(Status.UNAVAILABLE);

    assertThatThrownBy(() -> admin.ensureRepository(IMAGE, false))
        .asInstanceOf(InstanceOfAssertFactories.type(ActionException.class))
        .extracting(ActionException::code)
        .isEqualTo(ActionCodes.REGISTRY_UNREACHABLE);
  }

  @Test
  void aPushedTagExists() throws ActionException {
    fake.addVersion(PKG, "sha256:aa", T0, "v-00000000aa");

    assertThat(admin.tagExists(IMAGE)).isTrue();
    assertThat(fake.calls).containsExactly("getTag " + PKG + "/tags/v-00000000aa");
  }

  @Test
  void aTagNeverPushedDoesNotExist() throws ActionException {
    fake.addVersion(PKG, "sha256:bb", T0, "v-00000000bb");

    assertThat(admin.tagExists(IMAGE)).isFalse();
  }

  @Test
  void versionTagsAreTheGroveTagsNewestFirst() throws ActionException {
    seedFiveVersions();

    assertThat(admin.versionTags(IMAGE.withoutTag()))
        .containsExactly(
            "v-0000000005", "v-0000000004", "v-0000000003", "v-0000000002", "v-0000000001");
  }

  @Test
  void cleanupKeepsTheNewestVersionsAndDeletesTheRest() throws ActionException {
    seedFiveVersions();

    assertThat(admin.cleanup(IMAGE, 2, false))
        .containsExactly("v-0000000003", "v-0000000002", "v-0000000001");

    assertThat(fake.tagsOf(PKG))
        .containsExactly("latest", "release-1", "v-0000000004", "v-0000000005");
    // Version 1 also carries release-1, which is not Grove's to delete: only its Grove tag goes.
    assertThat(fake.versionsOf(PKG))
        .containsExactly("sha256:01", "sha256:04", "sha256:05", "sha256:99");
    assertThat(fake.tagsOf(REPO + "/packages/web")).containsExactly("v-0000000077");
  }

  @Test
  void cleanupNeverDeletesTagsThatAreNotGroveVersions() throws ActionException {
    seedFiveVersions();

    admin.cleanup(IMAGE, 0, false);

    assertThat(fake.tagsOf(PKG)).containsExactly("latest", "release-1");
    assertThat(fake.versionsOf(PKG)).containsExactly("sha256:01", "sha256:99");
  }

  @Test
  void cleanupDryRunReportsWhatItWouldDeleteAndDeletesNothing() throws ActionException {
    seedFiveVersions();
    int tags = fake.tags.size();
    int versions = fake.versions.size();

    assertThat(admin.cleanup(IMAGE, 3, true)).containsExactly("v-0000000002", "v-0000000001");

    assertThat(fake.tags).hasSize(tags);
    assertThat(fake.versions).hasSize(versions);
    assertThat(fake.calls).noneMatch(c -> c.startsWith("delete"));
  }

  @Test
  void cleanupOfAnImageNeverPushedDeletesNothing() throws ActionException {
    assertThat(admin.cleanup(IMAGE, 1, false)).isEmpty();
  }

  /**
   * Five Grove versions 1..5 (5 newest, listed out of order), version 1 also tagged release-1, and
   * an untagged-by-Grove version 99 tagged latest, newest of all.
   */
  private void seedFiveVersions() {
    fake.addVersion(PKG, "sha256:03", T0.plusSeconds(3), "v-0000000003");
    fake.addVersion(PKG, "sha256:05", T0.plusSeconds(5), "v-0000000005");
    fake.addVersion(PKG, "sha256:01", T0.plusSeconds(1), "v-0000000001", "release-1");
    fake.addVersion(PKG, "sha256:04", T0.plusSeconds(4), "v-0000000004");
    fake.addVersion(PKG, "sha256:02", T0.plusSeconds(2), "v-0000000002");
    fake.addVersion(PKG, "sha256:99", T0.plusSeconds(9), "latest");
    // Another image in the same repository is untouched.
    fake.addVersion(REPO + "/packages/web", "sha256:77", T0, "v-0000000077");
  }
}
