package org.distribank.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Locale;
import java.util.Set;

/** Keeps the modules' layers apart (DEVELOPERS.md, "Style"). */
@AnalyzeClasses(packages = "org.distribank", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] LIBRARIES = {"org.distribank.common..", "org.distribank.dataserver..", "org.distribank.consortium..",
            "org.distribank.bank.."};

    @ArchTest
    static final ArchRule noJavaFxOutsideTheApp = noClasses()
            .that().resideInAnyPackage(LIBRARIES)
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "atlantafx..", "org.kordamp..")
            .because("JavaFX belongs to app/ only; servers must run headless");

    @ArchTest
    static final ArchRule onlyTheLauncherWritesToStandardStreams = noClasses()
            .that().resideOutsideOfPackage("org.distribank.app.cli..")
            .should(ACCESS_STANDARD_STREAMS)
            .because("libraries log through SLF4J; only the command line prints (JSON lines, tables)");

    @ArchTest
    static final ArchRule slf4jOnly = NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

    @ArchTest
    static final ArchRule dataServerStandsAlone = noClasses()
            .that().resideInAPackage("org.distribank.dataserver..")
            .should().dependOnClassesThat().resideInAnyPackage("org.distribank.consortium..",
                    "org.distribank.bank..", "org.distribank.app..")
            .because("the data server is the bottom layer: a bank uses it over HTTP");

    @ArchTest
    static final ArchRule commonIsTheBottom = noClasses()
            .that().resideInAPackage("org.distribank.common..")
            .should().dependOnClassesThat().resideInAnyPackage("org.distribank.dataserver..",
                    "org.distribank.consortium..", "org.distribank.bank..", "org.distribank.app..")
            .because("common sits below both the data server and the bank peer");

    @ArchTest
    static final ArchRule protocolKnowsNoBanking = noClasses()
            .that().resideInAPackage("org.distribank.consortium..")
            .should().dependOnClassesThat().resideInAnyPackage("org.distribank.bank..", "org.distribank.app..",
                    "org.distribank.dataserver..")
            .because("the protocol orders opaque operations; banking plugs into it");

    @ArchTest
    static final ArchRule librariesDoNotReachIntoTheApp = noClasses()
            .that().resideInAnyPackage(LIBRARIES)
            .should().dependOnClassesThat().resideInAPackage("org.distribank.app..");

    private static final String VIEW = ".*View(\\$.*)?";
    private static final String VIEW_MODEL = ".*ViewModel(\\$.*)?";
    private static final String[] SCENE_GRAPH = {"javafx.scene..", "javafx.stage..", "atlantafx..", "org.kordamp.."};

    @ArchTest
    static final ArchRule viewsTalkOnlyToTheirViewModels = noClasses()
            .that().resideInAPackage("org.distribank.app.ui..").and().haveNameMatching(".*(Pane|View)(\\$.*)?")
            .should().dependOnClassesThat().resideInAnyPackage("org.distribank.app.client..",
                    "org.distribank.app.service..", "org.distribank.consortium..", "org.distribank.bank..")
            .because("MVVM: only ViewModels talk to the banks and services, on background threads; a view binds");

    @ArchTest
    static final ArchRule viewModelsKnowNoSceneGraph = noClasses()
            .that().resideInAPackage("org.distribank.app.ui..")
            .and().haveNameMatching(VIEW_MODEL)
            .should().dependOnClassesThat().resideInAnyPackage(SCENE_GRAPH)
            .because("ViewModels are properties and observable lists, tested without a UI");

    @ArchTest
    static final ArchRule consortiumModelsKnowNoSceneGraph = noClasses()
            .that().resideInAPackage("org.distribank.app.ui.consortium..")
            .and().haveNameNotMatching(VIEW)
            .and().haveNameNotMatching(".*\\.(ConsortiumPages|ConsortiumViewKit)(\\$.*)?")
            .should().dependOnClassesThat().resideInAnyPackage(SCENE_GRAPH)
            .because("the consortium pages' models (feed, diagram layout, cards) are plain data for the views");

    @ArchTest
    static final ArchRule servicesKnowNoUi = noClasses()
            .that().resideInAnyPackage("org.distribank.app.service..", "org.distribank.app.client..",
                    "org.distribank.app.launch..")
            .should().dependOnClassesThat().resideInAnyPackage("org.distribank.app.ui..", "javafx..", "atlantafx..",
                    "org.kordamp..")
            .because("the services (the scenario engine too) sit below the pages: a ViewModel is tested against a fake "
                    + "of its service");

    @ArchTest
    static final ArchRule faultViewModelsUseTheirServices = noClasses()
            .that().haveNameMatching(".*\\.(BankLifecycle|LinkFaults)ViewModel(\\$.*)?")
            .should().dependOnClassesThat().resideInAPackage("org.distribank.app.client..")
            .because("the faults page reaches the banks through BankLifecycle and LinkControls only (faked in tests)");

    private static final String PANE_OR_VIEW = ".*(Pane|View)(\\$.*)?";

    @ArchTest
    static final ArchRule customerModelsKnowNoSceneGraph = noClasses()
            .that().resideInAPackage("org.distribank.app.ui.customer..")
            .and().haveNameNotMatching(PANE_OR_VIEW)
            .and().haveNameNotMatching(".*\\.(CustomerPages|Form)(\\$.*)?")
            .should().dependOnClassesThat().resideInAnyPackage(SCENE_GRAPH)
            .because("the customer window's shared state and models (accounts, outcomes) are plain data for the views");

    private static final Set<String> FLOATING = Set.of("double", "float", "java.lang.Double", "java.lang.Float");

    @ArchTest
    static final ArchRule moneyIsIntegerCents = fields()
            .should(new ArchCondition<JavaField>("not hold money in a floating point type") {
                @Override
                public void check(JavaField field, ConditionEvents events) {
                    String name = field.getName().toLowerCase(Locale.ROOT);
                    boolean money = name.contains("amount") || name.contains("balance") || name.contains("cents")
                            || name.contains("total") || name.contains("money");
                    if (money && FLOATING.contains(field.getRawType().getName())) {
                        events.add(SimpleConditionEvent.violated(field, field.getFullName()
                                + " holds money as " + field.getRawType().getName() + "; money is integer cents"));
                    }
                }
            })
            .allowEmptyShould(true);
}
