package dev.modelseal.fingerprint;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.constructors;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** {@link VerifiedWeights} is made only by {@link WeightsPin}, as the core's verified types are. */
class VerifiedWeightsArchitectureTest {
  private static final JavaClasses FORMATS =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.modelseal.fingerprint", "dev.modelseal.formats");

  @Test
  void verifiedWeights_isFinalWithPrivateConstructors() {
    classes()
        .that()
        .belongToAnyOf(VerifiedWeights.class)
        .should()
        .haveModifier(JavaModifier.FINAL)
        .check(FORMATS);
    constructors().that().areDeclaredIn(VerifiedWeights.class).should().bePrivate().check(FORMATS);
  }

  @Test
  void verifiedWeights_onlyMadeByWeightsPin() {
    noClasses()
        .that()
        .doNotBelongToAnyOf(WeightsPin.class, VerifiedWeights.class)
        .should()
        .callMethodWhere(
            DescribedPredicate.describe(
                "a factory of VerifiedWeights",
                call ->
                    call.getTargetOwner().isEquivalentTo(VerifiedWeights.class)
                        && call.getTarget()
                            .getRawReturnType()
                            .isEquivalentTo(VerifiedWeights.class)))
        .check(FORMATS);
  }
}
