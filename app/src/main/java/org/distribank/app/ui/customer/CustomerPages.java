package org.distribank.app.ui.customer;

import java.util.List;
import org.distribank.app.ui.main.MainViewModel;
import org.distribank.app.ui.main.PageEntry;
import org.kordamp.ikonli.feather.Feather;

/** The customer side's pages, in sidebar order. */
public final class CustomerPages {

    private CustomerPages() {
    }

    public static List<PageEntry> all(MainViewModel main) {
        return List.of(new PageEntry("customers", "Customers", Feather.USERS, () -> {
            CustomersViewModel vm = new CustomersViewModel(main.connection(), main.tasks());
            vm.load();
            return new CustomersView(vm);
        }));
    }
}
