package dev.grove.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Module arrows: the api is a contract of JDK types, our records and Jackson annotations only. */
@AnalyzeClasses(packages = "dev.grove.api", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule onlyJdkAndJacksonAnnotations =
      classes()
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java..", "com.fasterxml.jackson.annotation..", "dev.grove.api..");

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.grove.api.(*)..").should().beFreeOfCycles();
}
