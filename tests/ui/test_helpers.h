#pragma once
// Shared helpers of the UI test suites (header-only; not a suite itself).
#include <QCoreApplication>
#include <QFileInfo>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStringList>
#include <QTest>
#include <memory>
#include <string>

#include "engine/project/project.h"
#include "ui/canvas/graph_view.h"
#include "ui/document/graph_document.h"
#include "ui/widgets/prompter.h"
#include "ui/window/main_window.h"

namespace netloom::test {

// Keeps QSettings and AppDataLocation away from the user's real ones, and each test
// executable's away from the others': ctest runs them in parallel, and one test's saved dock
// layout must not be restored into another's window halfway through it.
inline void isolateSettings() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("NetLoomTests");
    QCoreApplication::setApplicationName(
        "netloom-" + QFileInfo(QCoreApplication::applicationFilePath()).completeBaseName());
}

// Every message a status bar showed, in order. A short run can replace "epoch 1/2 · batch …"
// before a test polls currentMessage(), so tests look for a message in this log instead.
class StatusLog {
public:
    explicit StatusLog(QStatusBar* bar) {
        QObject::connect(bar, &QStatusBar::messageChanged, bar, [this](const QString& m) {
            if (!m.isEmpty()) m_messages << m;
        });
    }
    // The first message containing all the words, or an empty string.
    QString find(const QStringList& words) const {
        for (const QString& m : m_messages) {
            bool all = true;
            for (const QString& w : words) all = all && m.contains(w);
            if (all) return m;
        }
        return {};
    }

private:
    QStringList m_messages;
};

// Answers questions like a scripted user and records what was asked.
class ScriptedPrompter : public ui::Prompter {
public:
    SaveChoice saveAnswer = SaveChoice::Cancel;
    RunChoice runAnswer = RunChoice::KeepTraining;
    QStringList runQuestions;  // what each "a run is training" question was asked for
    bool yesNoAnswer = true;
    QString openAnswer, saveFileAnswer;
    QStringList errors, questions;
    int saveQuestions = 0;

    SaveChoice askSaveChanges(QWidget*, const QString&) override {
        ++saveQuestions;
        return saveAnswer;
    }
    RunChoice askStopRun(QWidget*, const QString& doing) override {
        runQuestions << doing;
        return runAnswer;
    }
    bool askYesNo(QWidget*, const QString& title, const QString& text) override {
        questions << title + ": " + text;
        return yesNoAnswer;
    }
    void showError(QWidget*, const QString& title, const QString& text) override {
        errors << title + ": " + text;
    }
    QString askOpenFile(QWidget*, const QString&, const QString&, const QString&) override {
        return openAnswer;
    }
    QString suggestedSave;  // what the last save dialog suggested
    QString askSaveFile(QWidget*, const QString&, const QString& suggested,
                        const QString&) override {
        suggestedSave = suggested;
        return saveFileAnswer;
    }
};

// The fixture of a suite whose windows ask their questions to a scripted user. A plain mixin:
// the suite derives from QObject first and from this, and its own initTestCase/cleanupTestCase
// slots call setUpSuite/tearDownSuite (Qt Test only runs the suite's own private slots).
struct PrompterFixture {
    ScriptedPrompter m_prompter;

    // isolateSettings, and every question goes to m_prompter.
    void setUpSuite() {
        isolateSettings();
        ui::setPrompter(&m_prompter);
    }
    void tearDownSuite() { ui::setPrompter(nullptr); }
};

// One shown MainWindow per test, in m_window: the suite's init() calls openWindow and its
// cleanup() calls closeWindow.
struct WindowFixture : PrompterFixture {
    std::unique_ptr<ui::MainWindow> m_window;

    ui::GraphDocument* doc() { return m_window->document(); }
    ui::GraphView* view() { return m_window->view(); }
    QWidget* viewport() { return m_window->view()->viewport(); }
    QPoint toView(QPointF scenePos) { return view()->mapFromScene(scenePos); }

    // What openWindow waits for: the window on screen, or also active (real key events).
    enum class Wait { Exposed, Active };

    // A new window in m_window, resized and shown; false if it never became exposed (active).
    bool openWindow(Wait wait = Wait::Exposed, QSize size = {1300, 800}) {
        m_window = std::make_unique<ui::MainWindow>();
        m_window->resize(size);
        m_window->show();
        if (wait == Wait::Exposed) return QTest::qWaitForWindowExposed(m_window.get());
        m_window->activateWindow();
        return QTest::qWaitForWindowActive(m_window.get());
    }
    // Closes m_window without a "save changes?" question.
    void closeWindow() {
        doc()->undoStack()->setClean();
        m_window.reset();
    }
};

// Input 1×28×28 → Flatten → Dense 64 → ReLU → Dense 10, plus a loose Dropout; trained weights
// on the first Dense. Positions on a line.
inline engine::Project sampleProject() {
    using namespace engine;
    Project p;
    Network& net = p.model();
    auto add = [&](const std::string& id, const std::string& type, const std::string& name,
                   Params params, double x, double y) {
        net.graph.addNode(Node{id, type, name, params});
        net.layout[id] = NodeUi{x, y, ""};
    };
    Params input;
    input.set("shape", std::string("1,28,28"));
    Params d64;
    d64.set("units", int64_t{64});
    Params d10;
    d10.set("units", int64_t{10});
    add("n1", "Input", "image", input, 0, 0);
    add("n2", "Flatten", "flatten", {}, 260, 0);
    add("n3", "Dense", "fc1", d64, 520, 0);
    add("n4", "ReLU", "relu", {}, 780, 0);
    add("n5", "Dense", "fc2", d10, 1040, 0);
    add("n6", "Dropout", "dropout", {}, 520, 300);
    net.graph.connect({"n1", 0, "n2", 0});
    net.graph.connect({"n2", 0, "n3", 0});
    net.graph.connect({"n3", 0, "n4", 0});
    net.graph.connect({"n4", 0, "n5", 0});
    Tensor w(std::vector<int64_t>{64, 784});
    for (int64_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(i % 7) * 0.01f;
    Tensor b(std::vector<int64_t>{64});
    net.weights["n3"]["weight"] = w;
    net.weights["n3"]["bias"] = b;
    p.name = "test";
    return p;
}

// x (Input 4), fc1 (Dense), fc2 (Dense) on a row 300 apart; `connected`: x → fc1 → fc2.
inline engine::Project threeInARow(bool connected) {
    engine::Project p;
    engine::Params in;
    in.set("shape", std::string("4"));
    p.model().graph.addNode({"n1", "Input", "x", in});
    p.model().graph.addNode({"n2", "Dense", "fc1", {}});
    p.model().graph.addNode({"n3", "Dense", "fc2", {}});
    if (connected) {
        p.model().graph.connect({"n1", 0, "n2", 0});
        p.model().graph.connect({"n2", 0, "n3", 0});
    }
    p.model().layout["n1"] = {0, 0, ""};
    p.model().layout["n2"] = {300, 0, ""};
    p.model().layout["n3"] = {600, 0, ""};
    return p;
}

}  // namespace netloom::test
