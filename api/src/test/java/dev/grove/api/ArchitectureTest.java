package dev.grove.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noCodeUnits;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.grove.api.event.EventPayload;
import java.util.Map;

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

  /** Issue 13: events are built only as records, one per type, never from a Map. */
  @ArchTest
  static final ArchRule eventPayloadsAreRecords =
      classes().that().implement(EventPayload.class).should().beRecords();

  @ArchTest
  static final ArchRule noEventIsBuiltFromAMap =
      noCodeUnits()
          .that()
          .areDeclaredInClassesThat()
          .resideInAPackage("dev.grove.api.event..")
          .should()
          .haveRawParameterTypes(
              DescribedPredicate.describe(
                  "a Map among them",
                  parameters -> parameters.stream().anyMatch(p -> p.isAssignableTo(Map.class))));
}
