package dev.grove.e2e;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Module arrows for e2e's main code: the sandbox is a cluster, so it knows nothing of the daemon or
 * the CLI; fabric8's mock server and the actions test fixtures stay inside it.
 */
@AnalyzeClasses(packages = "dev.grove.e2e", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule sandboxIsACluster =
      noClasses()
          .that()
          .resideInAPackage("dev.grove.e2e.sandbox..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.grove.orchestrator..", "dev.grove.cli..", "picocli..");

  @ArchTest
  static final ArchRule mockServerOnlyInTheSandbox =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.grove.e2e.sandbox..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.fabric8.kubernetes.client.server.mock..",
              "io.fabric8.mockwebserver..",
              "dev.grove.actions.kube.mock..")
          .allowEmptyShould(true); // the sandbox is e2e's only main code so far

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.grove.e2e.(**)").should().beFreeOfCycles();
}
