package dev.ssmsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code @ExtendWith}: one default testkit for the class, injected wherever a parameter asks for it. */
@ExtendWith(LocalSessionManagerExtension.class)
class ExtendWithTest {
    static LocalSessionManager fromBeforeAll;

    @BeforeAll
    static void remember(LocalSessionManager local) {
        fromBeforeAll = local;
    }

    @Test
    void theSameDefaultTestkitIsInjectedIntoLifecycleAndTestMethods(LocalSessionManager local) {
        assertThat(local).isSameAs(fromBeforeAll);
        assertThat(local.defaultTarget()).isEqualTo(LocalSessionManager.DEFAULT_TARGET);
        assertThat(local.sessions()).isEmpty();
    }
}
