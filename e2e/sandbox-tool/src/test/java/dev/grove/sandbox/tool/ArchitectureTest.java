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

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.grove.(sandbox).(**)").should().beFreeOfCycles();
}
