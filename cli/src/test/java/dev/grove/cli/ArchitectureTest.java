package dev.grove.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Module arrows: the CLI is thin: the api, picocli and the JDK, never the engine or its libraries.
 */
@AnalyzeClasses(packages = "dev.grove.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule thinClient =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.grove.orchestrator..",
              "dev.grove.actions..",
              "io.vertx..",
              "io.netty..",
              "io.fabric8..",
              "com.google.cloud..",
              "com.fasterxml.jackson.databind..");

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.grove.cli.(*)..").should().beFreeOfCycles();
}
