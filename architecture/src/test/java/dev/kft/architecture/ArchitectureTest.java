package dev.kft.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The layering that {@code docs/architecture.md} declares, checked on the compiled main classes of
 * every module: contracts at the bottom, checkpoint files above them, the engine (model) above
 * those, messaging beside checkpoint, services on top; no package cycles; domain code free of
 * frameworks.
 */
@Tag("unit")
class ArchitectureTest {

  private static final String[] CONTRACTS = {
    "dev.kft.events..", "dev.kft.job..", "dev.kft.batch..", "dev.kft.json..", "dev.kft.io.."
  };
  private static final String[] ENGINE = {"dev.kft.nn..", "dev.kft.peft..", "dev.kft.model.."};
  private static final String[] DJL = {"ai.djl.."};
  private static final String[] FRAMEWORKS = {
    "io.quarkus..",
    "io.smallrye..",
    "jakarta..",
    "org.eclipse.microprofile..",
    "org.apache.kafka..",
    "io.vertx.."
  };

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.kft");
    // an empty import would pass every rule
    for (String module :
        List.of(
            "dev.kft.events.Event",
            "dev.kft.charts.LineChartSvg",
            "dev.kft.checkpoint.BertConfig",
            "dev.kft.text.Encoder",
            "dev.kft.nn.BertClassifier",
            "dev.kft.messaging.RecordLoop",
            "dev.kft.registry.domain.VersionExport",
            "dev.kft.inference.rest.PredictResource",
            "dev.kft.cli.Kft")) {
      assertTrue(classes.contain(module), module + " was not imported");
    }
  }

  @Test
  void chartsAreDrawnFromPlainFigures() {
    noClasses()
        .that()
        .resideInAPackage("dev.kft.charts..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages("java..", "dev.kft.charts..")
        .check(classes);
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.kft.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void contractsDependOnNothingAboveThem() {
    noClasses()
        .that()
        .resideInAnyPackage(CONTRACTS)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.kft.checkpoint..",
            "dev.kft.nn..",
            "dev.kft.peft..",
            "dev.kft.model..",
            "dev.kft.messaging..",
            "ai.djl..",
            "io.micrometer..",
            "io.quarkus..")
        .check(classes);
  }

  @Test
  void onlySerdesOfTheContractsKnowKafka() {
    noClasses()
        .that()
        .resideInAnyPackage(CONTRACTS)
        .and()
        .haveSimpleNameNotEndingWith("Serializer")
        .and()
        .haveSimpleNameNotEndingWith("Deserializer")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.kafka..")
        .check(classes);
  }

  @Test
  void checkpointFilesNeedNoEngine() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.kft.checkpoint..", "dev.kft.tensorflow..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(concat(ENGINE, DJL, new String[] {"dev.kft.messaging.."}))
        .check(classes);
  }

  @Test
  void textNeedsOnlyTheTokenizersOfDjl() {
    noClasses()
        .that()
        .resideInAPackage("dev.kft.text..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            concat(
                ENGINE,
                new String[] {
                  "ai.djl.ndarray..", "ai.djl.nn..", "ai.djl.pytorch..", "dev.kft.messaging.."
                }))
        .check(classes);
  }

  @Test
  void messagingNeedsNoModel() {
    noClasses()
        .that()
        .resideInAPackage("dev.kft.messaging..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(concat(ENGINE, DJL, new String[] {"dev.kft.checkpoint.."}))
        .check(classes);
  }

  @Test
  void registryAndCommandLineNeedNoEngine() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.kft.registry..", "dev.kft.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(concat(ENGINE, DJL))
        .check(classes);
  }

  @Test
  void dataPreparationUsesOnlyTheTokenizersOfDjl() {
    noClasses()
        .that()
        .resideInAPackage("dev.kft.dataprep..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            concat(ENGINE, new String[] {"ai.djl.ndarray..", "ai.djl.nn..", "ai.djl.pytorch.."}))
        .check(classes);
  }

  @Test
  void domainCodeIsFreeOfFrameworks() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.kft.*.domain..", "dev.kft.trainer.training..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(FRAMEWORKS)
        .check(classes);
  }

  @Test
  void servicesDoNotReachIntoEachOther() {
    List<String> services = List.of("dataprep", "trainer", "evaluator", "registry", "inference");
    for (String service : services) {
      noClasses()
          .that()
          .resideInAPackage("dev.kft." + service + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              services.stream()
                  .filter(other -> !other.equals(service))
                  .map(other -> "dev.kft." + other + "..")
                  .toArray(String[]::new))
          .check(classes);
    }
  }

  private static String[] concat(String[]... parts) {
    return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
  }
}
