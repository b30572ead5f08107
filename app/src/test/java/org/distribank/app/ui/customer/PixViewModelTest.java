package org.distribank.app.ui.customer;

import static org.assertj.core.api.Assertions.assertThat;

import org.distribank.app.client.AccountRef;
import org.distribank.app.client.PixKeyView;
import org.distribank.bank.pix.PixKeyType;
import org.junit.jupiter.api.Test;

/** PIX keys against a fake bank: added, listed, resolved and removed. */
class PixViewModelTest {

    private final CustomerFixture f = new CustomerFixture();
    private final PixViewModel pix = new PixViewModel(f.session, f.state, f.tasks);

    @Test
    void keysAreAddedListedResolvedAndRemoved() {
        f.here.keys.add(new PixKeyView("52998224725", "CPF", "b1", "1001", "M***a S***a"));
        f.signIn();
        assertThat(pix.rows()).extracting(PixViewModel.Row::keyText, PixViewModel.Row::kind,
                PixViewModel.Row::account).containsExactly(org.assertj.core.groups.Tuple.tuple("52998224725", "CPF",
                "1001 at Bank 1"));
        assertThat(pix.accountProperty().get()).isEqualTo(new AccountRef("b1", "1001"));

        pix.typeProperty().set(PixKeyType.EMAIL);
        assertThat(pix.valueNeededProperty().get()).isTrue();
        pix.valueProperty().set("not-an-email");
        assertThat(pix.validProperty().get()).isFalse();
        pix.valueProperty().set("maria@example.com");
        pix.add();
        assertThat(pix.messageProperty().get()).isEqualTo("Key maria@example.com (e-mail) now names account 1001.");
        assertThat(pix.valueProperty().get()).isEmpty();
        assertThat(pix.rows()).extracting(PixViewModel.Row::keyText).containsExactly("52998224725",
                "maria@example.com");

        pix.typeProperty().set(PixKeyType.RANDOM);
        assertThat(pix.valueNeededProperty().get()).isFalse();
        pix.add();
        assertThat(pix.rows()).hasSize(3);
        assertThat(pix.rows().get(2).kind()).isEqualTo("random");

        pix.resolveKeyProperty().set("maria@example.com");
        pix.resolve();
        assertThat(pix.resolvedProperty().get().account()).isEqualTo("1001");
        assertThat(pix.resolveMessageProperty().get()).isEqualTo("M***a S***a · account 1001 at Bank 1");

        pix.remove(pix.rows().get(1));
        assertThat(pix.messageProperty().get()).isEqualTo("Key maria@example.com removed.");
        assertThat(pix.rows()).extracting(PixViewModel.Row::keyText).doesNotContain("maria@example.com");
    }

    @Test
    void anUnknownKeyOrARefusedOneIsSaid() {
        f.signIn();
        pix.resolveKeyProperty().set("nobody@example.com");
        pix.resolve();
        assertThat(pix.resolvedProperty().get()).isNull();
        assertThat(pix.resolveMessageProperty().get()).isEqualTo("No account has the PIX key nobody@example.com.");

        f.here.failNext.put("addPixKey", FakeCustomerApi.refused(409, "PIX_KEY_TAKEN", "That key is taken."));
        pix.typeProperty().set(PixKeyType.PHONE);
        pix.valueProperty().set("+5511987654321");
        pix.add();
        assertThat(pix.messageProperty().get()).isEqualTo("That key is taken.");
        assertThat(pix.busyProperty().get()).isFalse();
        assertThat(pix.rows()).isEmpty();
    }
}
