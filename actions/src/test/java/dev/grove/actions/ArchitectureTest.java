package dev.grove.actions;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

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

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.grove.actions.(**)").should().beFreeOfCycles();
}
