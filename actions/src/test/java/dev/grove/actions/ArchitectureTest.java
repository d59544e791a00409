package dev.grove.actions;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.grove.actions.spi.DeployTarget;
import dev.grove.actions.spi.KubeContext;

/** Module arrows: actions use the api, never the orchestrator, the CLI or vert.x web. */
@AnalyzeClasses(
    packages = "dev.grove.actions",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule noOrchestratorOrCli =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.grove.orchestrator..", "dev.grove.cli..", "io.vertx.ext.web..", "picocli..");

  /** Providers are values parsed once: every layer may read them, they read nothing of ours. */
  @ArchTest
  static final ArchRule providersAreValues =
      classes()
          .that()
          .resideInAPackage("dev.grove.actions.provider..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java..", "dev.grove.actions.provider..");

  /**
   * Exec types run local commands: the Kubernetes parts of a context ({@link KubeContext}, the
   * provider, the deploy target) are not theirs to see.
   */
  @ArchTest
  static final ArchRule execTypesSeeNoKubernetes =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.grove.actions.build.exec..",
              "dev.grove.actions.deploy.exec..",
              "dev.grove.actions.run",
              "dev.grove.actions.run.exec..",
              "dev.grove.actions.process..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.grove.actions.kube..", "dev.grove.actions.provider..")
          .orShould()
          .dependOnClassesThat()
          .belongToAnyOf(KubeContext.class, DeployTarget.class);

  /**
   * Helm's native library loads only in Helm's worker process: nothing the daemon runs may reach
   * helm-java or JNA except the worker's own classes.
   */
  @ArchTest
  static final ArchRule helmJavaOnlyInTheWorker =
      noClasses()
          .that()
          .haveNameNotMatching("dev\\.grove\\.actions\\.helm\\.(LocalHelm|NativeHelm)(\\$.*)?")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("com.marcnuri.helm..", "com.sun.jna..");

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.grove.actions.(**)").should().beFreeOfCycles();
}
