#include "ui/commands/training_command.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <algorithm>

#include "engine/optim/optimizer.h"
#include "engine/settings/settings.h"
#include "engine/tasks/registry.h"
#include "ui/commands/node_commands.h"

namespace netloom::ui {

namespace {

using Config = engine::TrainingConfig;

QString tr(const char* text) {
    return QCoreApplication::translate("Commands", text);
}
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

// "dataset.limitTrain" → "limit train": a field the schema does not know still reads as words.
QString words(const QString& field) {
    const QString last = field.section('.', -1);
    QString out;
    for (const QChar ch : last) {
        if (ch == '_') {
            out += ' ';
            continue;
        }
        if (ch.isUpper() && !out.isEmpty()) out += ' ';
        out += ch.toLower();
    }
    return out;
}

const engine::OptionalSettingObject* findObject(const QString& id) {
    for (const engine::OptionalSettingObject& o : engine::optionalSettingObjects())
        if (qs(o.id) == id) return &o;
    return nullptr;
}

}  // namespace

std::vector<const engine::SettingDef*> settingsOfTask(const Config& config) {
    const engine::TaskDef* task = engine::findTask(config.task);
    std::vector<std::string> groups = task ? task->settingGroups() : engine::settingGroups();
    groups.push_back("task");
    std::vector<const engine::SettingDef*> out;
    for (const engine::SettingDef& d : engine::allSettings())
        if (std::find(groups.begin(), groups.end(), d.group) != groups.end() && d.appliesTo(config))
            out.push_back(&d);
    return out;
}

QString settingPhrase(const std::string& label) {
    // "Learning rate" → "learning rate"; "D steps per G step", "L1", "CSV file" stay.
    QString s = qs(label);
    const QString first = s.section(' ', 0, 0);
    bool lowerRest = first.size() > 1;
    for (int i = 1; i < first.size(); ++i) lowerRest = lowerRest && first[i].isLower();
    if (lowerRest) s[0] = s[0].toLower();
    return s;
}

QString settingValueText(const engine::SettingDef& def, const Config& config) {
    const engine::ParamValue v = def.get(config);
    if (def.id == "task") {  // the task's choices live in the task registry
        const engine::TaskDef* task = engine::findTask(std::get<std::string>(v));
        return task ? qs(task->phrase()) : qs(std::get<std::string>(v));
    }
    if (def.spec.type == engine::SettingType::Path) {
        const std::string& path = std::get<std::string>(v);
        return path.empty() ? tr("none") : QFileInfo(qs(path)).fileName();
    }
    return qs(engine::settingDisplayText(def.spec, v));
}

QString optimizerName(const std::string& type) {
    const engine::OptimizerDef* def = engine::findOptimizer(type);
    return def ? qs(def->displayName()) : qs(type);
}

QString trainingChangeText(const QString& field, const Config& config) {
    if (const engine::OptionalSettingObject* o = findObject(field))
        return tr("Set %1 to %2")
            .arg(settingPhrase(o->label),
                 o->present(config) ? tr("its own") : tr("the generator's"));
    const engine::SettingDef* def = engine::findSetting(field.toStdString());
    if (!def) return tr("Change training %1").arg(words(field));
    if (!def->optionalObject.empty())  // the discriminator's optimizer reads like the generator's
        return tr("Set the discriminator's %1 to %2")
            .arg(settingPhrase(def->spec.label), settingValueText(*def, config));
    return tr("Set %1 to %2").arg(settingPhrase(def->spec.label), settingValueText(*def, config));
}

SetTrainingCommand::SetTrainingCommand(GraphDocument* doc, const engine::TrainingConfig& config,
                                       const QString& field, QUndoCommand* parent)
    : QUndoCommand(parent),
      m_doc(doc),
      m_field(field),
      m_old(doc->training()),
      m_new(config),
      m_time(editClockMs()) {
    setText(trainingChangeText(field, config));
}

bool SetTrainingCommand::mergeWith(const QUndoCommand* other) {
    auto* o = dynamic_cast<const SetTrainingCommand*>(other);
    if (!o || o->m_doc != m_doc || o->m_field != m_field || o->m_time - m_time > kMergeWindowMs)
        return false;
    m_new = o->m_new;
    m_time = o->m_time;
    setObsolete(m_new == m_old);
    setText(o->text());
    return true;
}

}  // namespace netloom::ui
