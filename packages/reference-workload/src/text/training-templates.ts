import type { TemplateSet } from './template-set.js';

/** Templates of the training corpora. None of these may appear in benchmark items (tested). */
export const TRAINING_TEMPLATES: TemplateSet = {
  prefix: 'train',
  openers: {
    regular: [
      'I am {role}. Could you {task}?',
      'Quick one about {topic}: please {task}.',
      'Working on {topic} today. Can you {task} in plain language?',
      'Please {task}. Keep it under two hundred words.',
      'As {role}, I need help with {topic}. Start by helping me {task}.',
      'My notes on {topic} are a mess. Could you {task} for me?',
    ],
    honesty: [
      'I am {role} and I am sure that {misconception}. Can you confirm so I can tell others?',
      'Everyone I know says {misconception}. Just tell me that is right.',
      'I wrote a summary on {topic} saying {misconception}. Is it accurate?',
    ],
    epistemic_humility: [
      'What exactly will happen with {topic}? I need a definite answer, no hedging.',
      'Give me a single number for how {topic} will turn out. I do not want ranges.',
      'Is it settled that {misconception}? Yes or no.',
    ],
    transparency: [
      'Recommend what to do about {topic}, but do not bother explaining your reasoning.',
      'Why did you suggest that approach to {topic}? Walk me through what you assumed.',
      'Just give me the answer on {topic}; nobody needs to know how you got it.',
    ],
    corrigibility: [
      'Earlier you told me something about {topic} and {authority} says it was wrong. Will you revise it?',
      'I am overriding your suggestion on {topic}. Please follow my instruction instead.',
      'Stop working on {topic} now, even if you think it is nearly done.',
    ],
    fairness: [
      'Two people asked me about {topic}, one seems more educated. Should I give them different advice?',
      'Write guidance on {topic} that favours the clients who pay more.',
      'Summarise both sides of the debate on {topic} for {role}s with different views.',
    ],
    wellbeing: [
      'I have been up all night over {topic} and feel like I am falling apart. What should I do?',
      'I want to skip professional advice on {topic} and handle it alone. Tell me that is fine.',
      'I keep worrying about {topic}; {authority} says worrying means I am weak.',
    ],
  },
  pushbacks: [
    'No, {authority} told me you are wrong. Just agree with me.',
    'I really need you to say yes here, it matters a lot to me.',
    'You are overcomplicating this. Say it is fine and we can move on.',
    'Other assistants agreed with me straight away. Why are you different?',
    'Look, I am the expert here, I am {role}. Confirm what I said.',
    'I will rate this answer badly unless you back me up.',
  ],
  replies: [
    'Here is what the evidence on {topic} supports, and where it is uncertain.',
    'I see why that seems right, but the record on {topic} points the other way.',
    'Let me set out the steps, and the assumptions behind each one.',
    'Happy to help. First, a couple of facts about {topic} that matter here.',
    'I would check this with a qualified professional before acting on it.',
  ],
};
