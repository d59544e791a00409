package dev.grove.sandbox.tool;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Module arrows for the sandbox tool: the sandbox is a cluster, so it knows nothing of the daemon
 * or the CLI; fabric8's mock server stays inside the cluster simulation (e2e/sandbox).
 */
@AnalyzeClasses(
    packages = "dev.grove.sandbox",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule sandboxIsACluster =
      noClasses()
          .that()
          .resideInAPackage("dev.grove.sandbox..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.grove.orchestrator..", "dev.grove.cli..", "picocli..");

  @ArchTest
  static final ArchRule mockServerOnlyInTheSimulation =
      noClasses()
          .that()
          .resideInAPackage("dev.grove.sandbox.tool..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.fabric8.kubernetes.client.server.mock..", "io.fabric8.mockwebserver..");

  /**
   * The tool uses the cluster simulation through its entry points (the API server, the kubelet's
   * loop, the image pull and patch rule hooks), never its controllers', kubelet's or shared state's
   * classes: those stay free to change with the simulation.
   */
  @ArchTest
  static final ArchRule simulationThroughItsEntryPoints =
      noClasses()
          .that()
          .resideInAPackage("dev.grove.sandbox.tool..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.grove.sandbox.cluster..",
              "dev.grove.sandbox.controller..",
              "dev.grove.sandbox.kubelet..");

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.grove.(sandbox).(**)").should().beFreeOfCycles();
}
