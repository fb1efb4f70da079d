package dev.countersign.people;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InstallationTest {

    private static final Installation WORKSPACE = new Installation("A0APP", "T0ONE", null, false);
    private static final Installation GRID_WORKSPACE = new Installation("A0APP", "T0ONE", "E0ORG",
            false);
    private static final Installation ORG_WIDE = new Installation("A0APP", "T0ONE", "E0ORG", true);

    @Test
    void aPersonIsKeyedByTheTeamOfAWorkspaceInstallAndByTheOrgOfAnOrgWideOne() {
        assertThat(WORKSPACE.person("U0ALICE")).isEqualTo(new Actor("T0ONE", "U0ALICE"));
        assertThat(GRID_WORKSPACE.person("W0ALICE")).isEqualTo(new Actor("T0ONE", "W0ALICE"));
        assertThat(ORG_WIDE.person("W0ALICE")).isEqualTo(new Actor("E0ORG", "W0ALICE"));
    }

    @Test
    void aWorkspaceInstallServesItsOwnWorkspaceOfItsOwnAppOnly() {
        assertThat(WORKSPACE.serves("A0APP", "T0ONE", null)).isTrue();
        assertThat(WORKSPACE.serves("A0APP", "T0ONE", "")).isTrue();
        assertThat(WORKSPACE.serves("A0OTHER", "T0ONE", null)).isFalse();
        assertThat(WORKSPACE.serves(null, "T0ONE", null)).isFalse();
        assertThat(WORKSPACE.serves("A0APP", "T0TWO", null)).isFalse();
        assertThat(WORKSPACE.serves("A0APP", "T0ONE", "E0ORG")).isFalse();
        assertThat(GRID_WORKSPACE.serves("A0APP", "T0ONE", "E0ORG")).isTrue();
        assertThat(GRID_WORKSPACE.serves("A0APP", "T0TWO", "E0ORG")).isFalse();
        assertThat(GRID_WORKSPACE.serves("A0APP", "T0ONE", "E0OTHER")).isFalse();
    }

    @Test
    void anOrgWideInstallServesEveryWorkspaceOfItsOrgAndNoOtherOrg() {
        assertThat(ORG_WIDE.serves("A0APP", "T0TWO", "E0ORG")).isTrue();
        assertThat(ORG_WIDE.serves("A0APP", "T0ONE", null)).isFalse();
        assertThat(ORG_WIDE.serves("A0APP", "T0ONE", "E0OTHER")).isFalse();
        assertThat(ORG_WIDE.serves("A0OTHER", "T0TWO", "E0ORG")).isFalse();
    }

    @Test
    void anInstallationNamesWhatItIsKeyedBy() {
        assertThatThrownBy(() -> new Installation("A0APP", "T0ONE", null, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Installation("A0APP", " ", null, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
