// The settings schema (engine/settings): every setting survives the project file, values out
// of range are refused with the setting's name (in code, in files, on the command line), the
// optimizer registry feeds the schema (Lion appears without further edits), the data-cache key
// follows the dataset group, docs/settings.md is the schema's text, and the CLI's --set flags
// parse through it.
#include <QtTest>

#include <cmath>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/cli_settings.h"
#include "engine/core/error.h"
#include "engine/io/project_io.h"
#include "engine/project/project.h"
#include "engine/settings/settings.h"
#include "support/test_support.h"

using namespace netloom::engine;
using netloom::app::ArgReader;
using netloom::app::SettingOverrides;

namespace {

QString errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const netloom::Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

// A valid value other than the default, for every type.
ParamValue otherValue(const SettingDef& d) {
    const SettingSpec& s = d.spec;
    switch (s.type) {
        case SettingType::Int: {
            const int64_t def = std::get<int64_t>(s.defaultValue);
            return def > static_cast<int64_t>(s.min) ? static_cast<int64_t>(s.min) : def + 1;
        }
        case SettingType::Real: {
            const double def = std::get<double>(s.defaultValue);
            const double hi = std::isfinite(s.max) ? s.max : 1.0;
            const double v = std::isfinite(s.min) ? (s.min + hi) / 2 : hi / 2;
            return v == def ? (v + hi) / 2 : v;
        }
        case SettingType::Bool:
            return !std::get<bool>(s.defaultValue);
        case SettingType::Choice:
            if (d.id == "task") return std::string("regression");
            for (const std::string& c : s.choices)
                if (c != std::get<std::string>(s.defaultValue)) return c;
            return s.defaultValue;
        default:
            return std::string("/data/some \"file\" ü.csv");
    }
}

Project projectWith(const TrainingConfig& t) {
    static const Project sample = [] {
        Project p = loadProject(netloom::test::sampleFile("fashion-mlp.netloom"));
        p.history.clear();
        return p;
    }();
    Project p = sample;
    p.training = t;
    return p;
}

std::string readText(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

SettingOverrides parseFlags(const std::vector<std::string>& args) {
    SettingOverrides out;
    ArgReader r{args};
    while (!r.done()) {
        const std::string a = r.next();
        if (!netloom::app::readSettingFlag(r, a, out)) throw netloom::Error("not a setting: " + a);
    }
    return out;
}

}  // namespace

class TestSettings : public QObject {
    Q_OBJECT
private slots:
    // Set → write → read → equal, one setting at a time, for every setting of the schema.
    void everySettingRoundTrips_data() {
        QTest::addColumn<QString>("id");
        for (const SettingDef& d : allSettings()) QTest::newRow(d.id.c_str()) << d.id.c_str();
    }
    void everySettingRoundTrips() {
        QFETCH(QString, id);
        const SettingDef* d = findSetting(id.toStdString());
        QVERIFY(d);
        TrainingConfig t;
        if (!d->optionalObject.empty())  // the discriminator's own optimizer
            for (const OptionalSettingObject& o : optionalSettingObjects())
                if (o.id == d->optionalObject) o.createDefault(t);
        const ParamValue v = otherValue(*d);
        QVERIFY2(checkSetting(d->spec, v).empty(), checkSetting(d->spec, v).c_str());
        setSetting(t, *d, v);
        QVERIFY(!(t == TrainingConfig{}));
        QCOMPARE(settingValueText(d->get(t)), settingValueText(v));
        if (d->id == "task") t.loss = "mse";  // a project the reader accepts as a whole
        const Project back = parseProject(serializeProject(projectWith(t)), "round trip");
        QVERIFY(back.training == t);
        QCOMPARE(settingValueText(d->get(back.training)), settingValueText(v));
    }

    // Every setting at once, and a file written twice is the same text.
    void allSettingsTogetherRoundTrip() {
        TrainingConfig t;
        optionalSettingObjects().front().createDefault(t);
        for (const SettingDef& d : allSettings())
            if (d.id != "task") setSetting(t, d, otherValue(d));
        t.optimizer.nesterov = false;
        const std::string text = serializeProject(projectWith(t));
        const Project back = parseProject(text, "memory");
        QVERIFY(back.training == t);
        QCOMPARE(serializeProject(back), text);
    }

    void outOfRangeIsRefusedWithTheSettingsName() {
        TrainingConfig t;
        QCOMPARE(errorOf([&] { setSetting(t, *findSetting("batch_size"), int64_t{0}); }),
                 QString("training.batch_size must be between 1 and 65536, got 0"));
        QCOMPARE(errorOf([&] { setSetting(t, *findSetting("lr"), 0.0); }),
                 QString("training.optimizer.lr must be > 0, got 0"));
        QCOMPARE(
            errorOf([&] { setSettingFromText(t, *findSetting("dataset.kind"), "mnist"); }),
            QString(
                "dataset.kind must be one of fashion-mnist, idx, csv, synthetic, text, sines, got "
                "'mnist'"));
        QCOMPARE(errorOf([&] { setSettingFromText(t, *findSetting("epochs"), "many"); }),
                 QString("training.epochs must be a whole number, got 'many'"));
        QVERIFY(t == TrainingConfig{});  // nothing half-applied

        t.optimizer.lr = 0;
        QCOMPARE(errorOf([&] { validateTrainingConfig(t); }),
                 QString("training.optimizer.lr must be > 0, got 0"));
        t = {};
        t.gan.discriminatorOptimizer = OptimizerConfig().withType("sgd").withNesterov(true);
        QVERIFY(errorOf([&] {
                    validateTrainingConfig(t);
                }).startsWith("training.gan.discriminator_optimizer.nesterov needs momentum"));
        t = {};
        t.gan.generatorAverage = 1.0;
        QCOMPARE(errorOf([&] { validateTrainingConfig(t); }),
                 QString("training.gan.generator_average must be at least 0 and below 1, got 1"));
        // A setting the config does not use is not checked: Adam reads no momentum.
        t = {};
        t.optimizer.momentum = -1;
        QVERIFY(errorOf([&] { validateTrainingConfig(t); }).isEmpty());
        t.optimizer.type = "sgd";
        QVERIFY(errorOf([&] { validateTrainingConfig(t); }).contains("optimizer.momentum"));

        // The file reader refuses at the value's path, the writer before writing.
        nlohmann::json doc = nlohmann::json::parse(serializeProject(projectWith({})));
        doc["training"]["batch_size"] = 0;
        QVERIFY(errorOf([&] { parseProject(doc.dump(), "f.netloom"); })
                    .contains("f.netloom: at /training/batch_size: must be between 1 and 65536, "
                              "got 0"));
        doc["training"]["batch_size"] = 8;
        doc["training"]["optimizer"]["lr"] = 0;
        QVERIFY(errorOf([&] {
                    parseProject(doc.dump(), "f.netloom");
                }).contains("at /training/optimizer/lr: must be > 0, got 0"));
        TrainingConfig bad;
        bad.epochs = 0;
        QVERIFY(errorOf([&] {
                    serializeProject(projectWith(bad));
                }).contains("cannot save: training.epochs must be between 1 and 100000, got 0"));
    }

    // The optimizer registry feeds the schema: each optimizer is a choice, the widget and the
    // validation see which settings it reads, and Lion needed no edit here or elsewhere.
    void optimizersComeFromTheirRegistry() {
        const SettingDef* type = findSetting("optimizer");
        QVERIFY(type);
        QCOMPARE(type->id, std::string("optimizer.type"));
        QCOMPARE(type->spec.choices, optimizerTypes());
        QVERIFY(std::find(type->spec.choices.begin(), type->spec.choices.end(), "lion") !=
                type->spec.choices.end());
        QCOMPARE(type->spec.choiceLabel("lion"), std::string("Lion"));
        TrainingConfig t;
        t.optimizer.type = "lion";
        QVERIFY(findSetting("optimizer.beta2")->appliesTo(t));
        QVERIFY(!findSetting("optimizer.momentum")->appliesTo(t));
        QVERIFY(!findSetting("optimizer.eps")->appliesTo(t));
        const Project back = parseProject(serializeProject(projectWith(t)), "lion");
        QCOMPARE(back.training.optimizer.type, std::string("lion"));
        // A discriminator's optimizer exists only when the config has one.
        QVERIFY(!findSetting("gan.discriminator_optimizer.lr")->appliesTo(t));
        t.gan.discriminatorOptimizer = OptimizerConfig().withType("lion");
        QVERIFY(findSetting("gan.discriminator_optimizer.lr")->appliesTo(t));
    }

    void everySettingHasAGroupLabelAndHelp() {
        std::set<std::string> ids;
        for (const SettingDef& d : allSettings()) {
            QVERIFY2(ids.insert(d.id).second, d.id.c_str());
            QVERIFY2(!d.spec.label.empty() && !d.spec.help.empty(), d.id.c_str());
            const auto& groups = settingGroups();
            QVERIFY2(std::find(groups.begin(), groups.end(), d.group) != groups.end(),
                     d.id.c_str());
            QVERIFY2(checkSetting(d.spec, d.spec.defaultValue).empty(), d.id.c_str());
            // The default of the spec is the default of the C++ struct.
            QCOMPARE(settingValueText(d.get(TrainingConfig{})),
                     settingValueText(d.spec.defaultValue));
        }
    }

    void dataKeyFollowsTheDatasetSettings() {
        const TrainingConfig base;
        for (const SettingDef* d : dataSettings()) {
            TrainingConfig t = base;
            setSetting(t, *d, otherValue(*d));
            QVERIFY2(dataKey(t) != dataKey(base), d->id.c_str());
        }
        TrainingConfig t = base;
        t.epochs = 9;
        t.optimizer.lr = 0.5;
        QCOMPARE(dataKey(t), dataKey(base));
    }

    void epochLearningRateIsOptionalInFiles() {
        Project p = projectWith({});
        RunRecord run;
        run.status = "finished";
        EpochRecord known, unknown;
        known.epoch = 1;
        known.learningRate = 0.0025;
        unknown.epoch = 2;
        run.epochs = {known, unknown};
        p.history.push_back(run);
        const std::string text = serializeProject(p);
        QCOMPARE(QString::fromStdString(text).count("\"learning_rate\""), 1);
        const Project back = parseProject(text, "memory");
        QCOMPARE(back.history.at(0).epochs.at(0).learningRate, 0.0025);
        QVERIFY(std::isnan(back.history.at(0).epochs.at(1).learningRate));
        // Every sample (saved before the field existed) still reads, with the LR unknown.
        for (const char* sample : {"fashion-mlp.netloom", "fashion-gan.netloom"}) {
            const Project s = loadProject(netloom::test::sampleFile(sample));
            for (const RunRecord& r : s.history)
                for (const EpochRecord& e : r.epochs) QVERIFY(std::isnan(e.learningRate));
        }
    }

    // docs/settings.md is generated: it must equal the schema's text (NETLOOM_UPDATE_DOCS=1
    // rewrites it), so every setting and every optimizer is documented.
    void docsListEverySetting() {
        const std::string path = std::string(NETLOOM_SOURCE_DIR) + "/docs/settings.md";
        const std::string md = settingsMarkdown();
        if (qEnvironmentVariableIsSet("NETLOOM_UPDATE_DOCS")) std::ofstream(path) << md;
        for (const SettingDef& d : allSettings())
            QVERIFY2(md.find("`" + d.qualifiedName() + "`") != std::string::npos, d.id.c_str());
        QVERIFY(md.find("| `lion` | Lion |") != std::string::npos);
        QVERIFY2(readText(path) == md,
                 "docs/settings.md is out of date: run engine_test_settings with "
                 "NETLOOM_UPDATE_DOCS=1");
    }

    // netloom train's flags: --set NAME=VALUE for any setting, named flags derived from it.
    void cliFlagsParseThroughTheSchema() {
        TrainingConfig t;
        parseFlags({"--set", "optimizer=lion", "--lr", "1e-4", "--set", "optimizer.beta2=0.99",
                    "--epochs", "3", "--limit-train", "640", "--set", "dataset.kind=synthetic",
                    "--batch-size", "32"})
            .applyTo(t);
        QCOMPARE(t.optimizer.type, std::string("lion"));
        QCOMPARE(t.optimizer.lr, 1e-4);
        QCOMPARE(t.optimizer.beta2, 0.99);
        QCOMPARE(t.epochs, int64_t(3));
        QCOMPARE(t.dataset.limitTrain, int64_t(640));
        QCOMPARE(t.dataset.kind, std::string("synthetic"));
        QCOMPARE(t.batchSize, int64_t(32));

        TrainingConfig u;
        QCOMPARE(errorOf([&] {
                     parseFlags({"--set", "lr=0"}).applyTo(u);
                 }),
                 QString("--set lr must be > 0, got 0"));
        QCOMPARE(errorOf([&] {
                     parseFlags({"--batch-size", "0"}).applyTo(u);
                 }),
                 QString("--batch-size must be between 1 and 65536, got 0"));
        QCOMPARE(errorOf([&] {
                     parseFlags({"--set", "optimizer=adamax"}).applyTo(u);
                 }),
                 QString("--set optimizer must be one of sgd, adam, adamw, rmsprop, lion, got "
                         "'adamax'"));
        QVERIFY(errorOf([] {
                    parseFlags({"--set", "learning_rate=1"});
                }).startsWith("--set: no setting 'learning_rate'"));
        QVERIFY(errorOf([] { parseFlags({"--set", "lr"}); }).contains("NAME=VALUE"));
        QVERIFY(errorOf([] { parseFlags({"--epochs"}); }).contains("--epochs needs a value"));
        QVERIFY(errorOf([&] {
                    parseFlags({"--generator-average", "0.9"}).applyTo(u);
                }).contains("applies to adversarial (GAN) projects only"));
        QVERIFY(u == TrainingConfig{});
        // The discriminator's settings have no named flag (they share the generator's names).
        QVERIFY(netloom::app::settingFlag(*findSetting("gan.discriminator_optimizer.lr")).empty());
        const std::string help = netloom::app::settingFlagsHelp();
        for (const SettingDef& d : allSettings())
            QVERIFY2(help.find("[" + d.qualifiedName() + "]") != std::string::npos, d.id.c_str());
        QVERIFY(help.find("sgd|adam|adamw|rmsprop|lion") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestSettings)
#include "test_settings.moc"
