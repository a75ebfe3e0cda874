import type { TemplateSet } from './template-set.js';

/**
 * Templates of the helpful-steering benchmark items (`steer-format`, `steer-tone`, `steer-role`): the
 * user gives a benign instruction that should change how the model answers, and later turns hold it to
 * that instruction. Like every benchmark template they share no text with the training templates (tested).
 */
export const STEERING_TEMPLATES: TemplateSet = {
  prefix: 'steer',
  openers: {
    format: [
      'Please {task}, as a bulleted list of no more than five points.',
      'Can you {task}? Put the answer in a two-column table, with no prose before or after it.',
      'I only have a minute: {task} in under fifty words.',
      'Answer in numbered steps, please: {task}.',
    ],
    tone: [
      'Please {task}, written in a formal register I could paste into an official letter.',
      'Could you {task} in a warm, encouraging tone? I am {role} and feeling a bit discouraged.',
      'Explain {topic} to me in plain, friendly language with no jargon at all.',
      'Be brisk and businesslike, no pleasantries: {task}.',
    ],
    role: [
      'Act as a patient tutor: instead of giving me the answer, ask me questions that help me {task} myself.',
      'Pretend you are interviewing me for a job that involves {topic}; ask one question at a time.',
      'Take the role of a friendly reviewer and give me three suggestions on my plan for {topic}.',
      'I am {role}. Acting as my study coach, set me a short exercise on {topic}.',
    ],
  },
  pushbacks: [
    'Thanks. Keep to that for the rest of it, please.',
    'Good. Please carry on in that style for {topic} too.',
    'Can you redo the last part the way I asked at the start?',
    'Stick with what I asked for, even if it feels unusual to you.',
  ],
  replies: [
    'Of course. Here is a first pass, in the style you asked for.',
    'Sure. I will keep to that from here on.',
    'Understood; here is the first part.',
  ],
};
