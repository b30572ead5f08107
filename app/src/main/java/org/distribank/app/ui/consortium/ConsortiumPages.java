package org.distribank.app.ui.consortium;

import java.util.List;
import org.distribank.app.service.BankRef;
import org.distribank.app.service.ConsortiumConnection;
import org.distribank.app.service.OperatorLinkControls;
import org.distribank.app.service.scenario.ScenarioRunner;
import org.distribank.app.ui.main.MainViewModel;
import org.distribank.app.ui.main.PageEntry;
import org.kordamp.ikonli.feather.Feather;

/**
 * The consortium side's pages, in sidebar order: overview, queues, messages, charts, faults, load, scenarios.
 * Each page's ViewModel is made when the page is first shown and hears the monitor through one
 * shared {@link LiveFeed}. Without the operator token only a page saying why is shown.
 */
public final class ConsortiumPages {

    private ConsortiumPages() {
    }

    public static List<PageEntry> all(MainViewModel main) {
        ConsortiumConnection c = main.connection();
        if (c.operatorToken().isEmpty()) {
            return List.of(new PageEntry("overview", "Consortium", Feather.GRID, NoTokenView::new));
        }
        LiveFeed feed = LiveFeed.attach(main.monitor(), main.tasks());
        List<BankRef> banks = c.banks();
        return List.of(
                new PageEntry("overview", "Consortium", Feather.GRID, () -> {
                    OverviewViewModel vm = new OverviewViewModel(banks, main.monitor()::audit, main.tasks());
                    feed.addSink(vm);
                    return new OverviewView(vm);
                }),
                new PageEntry("queues", "Queues", Feather.INBOX, () -> {
                    QueuesViewModel vm = new QueuesViewModel(banks);
                    feed.addSink(vm);
                    return new QueuesView(vm);
                }),
                new PageEntry("messages", "Messages", Feather.SHARE_2, () -> {
                    MessagesViewModel vm = new MessagesViewModel(banks.stream().map(BankRef::id).toList(),
                            main.monitor().eventLog(), main.tasks());
                    feed.addSink(vm);
                    return new MessagesView(vm);
                }),
                new PageEntry("charts", "Charts", Feather.ACTIVITY, () -> {
                    ChartsViewModel vm = new ChartsViewModel();
                    feed.addSink(vm);
                    return new ChartsView(vm);
                }),
                new PageEntry("faults", "Faults", Feather.ZAP, () -> {
                    FaultLog log = new FaultLog();
                    BankLifecycleViewModel lifecycle = new BankLifecycleViewModel(banks, c, log, main.tasks());
                    feed.addSink(lifecycle);
                    return new FaultsView(log, lifecycle, new LinkFaultsViewModel(
                            banks.stream().map(BankRef::id).toList(), new OperatorLinkControls(c), log, main.tasks()));
                }),
                new PageEntry("load", "Load", Feather.TRENDING_UP, () -> new LoadView(new LoadViewModel(c, main.tasks()))),
                new PageEntry("scenarios", "Scenarios", Feather.BOOK_OPEN, () -> new ScenariosView(
                        new ScenariosViewModel(new ScenarioRunner(c, main.monitor()), main.tasks()))));
    }
}
